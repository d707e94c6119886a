/**
 * How charts draw periods that have not ended (METRICS.md section 2: results
 * mark them `incomplete: true`): a line's segment into such a period is
 * dashed, as PostHog draws it, a bar is hatched, and the tooltip and a note
 * under the chart say "incomplete period", so a count that may still grow is
 * not read as a drop.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ScriptableLineSegmentContext } from 'chart.js';
import { STRAIGHT_LINE } from './chart.ts';

/** What a tooltip and the note call such a period. */
export const INCOMPLETE_TEXT = 'incomplete period';

/** The dash of a line over an incomplete period (Chart.js `borderDash`). */
export const INCOMPLETE_DASH = [5, 4];

/** Which elements of a result are incomplete, by index. */
export const incompleteFlags = (items: readonly { incomplete?: true }[]): boolean[] => items.map((item) => item.incomplete === true);

/**
 * A line dataset's options that dash each segment ending in an incomplete
 * period (Chart.js calls `borderDash` per segment; `p1DataIndex` is its end)
 * and draw that period's point hollow.
 */
export function dashIncomplete(flags: readonly boolean[], colour: string, background: string) {
  return {
    segment: { borderDash: (context: ScriptableLineSegmentContext) => (flags[context.p1DataIndex] ? INCOMPLETE_DASH : undefined) },
    pointBackgroundColor: flags.map((incomplete) => (incomplete ? background : colour)),
  };
}

/** Past this many points a line over periods draws no dots: they would merge into a thick line. */
export const DENSE_POINTS = 45;

/**
 * A line over periods (one value per flag): straight segments, no line
 * across a missing (suppressed) value, no dots when dense, and dashed into
 * an incomplete period.
 */
export function periodLine(flags: readonly boolean[], colour: string, background: string) {
  return {
    borderColor: colour,
    backgroundColor: colour,
    pointRadius: flags.length > DENSE_POINTS ? 0 : 2,
    ...STRAIGHT_LINE,
    spanGaps: false,
    ...dashIncomplete(flags, colour, background),
  };
}

/**
 * A bar fill for an incomplete period: the colour, light, with diagonal
 * stripes of it, so the bar reads as the same series but not yet whole.
 * Falls back to the plain colour where a canvas has no 2D context.
 */
export function hatched(colour: string): CanvasPattern | string {
  const size = 8;
  const tile = document.createElement('canvas');
  tile.width = tile.height = size;
  const context = tile.getContext('2d');
  if (!context) return colour;
  context.fillStyle = colour;
  context.globalAlpha = 0.3;
  context.fillRect(0, 0, size, size);
  context.globalAlpha = 1;
  context.strokeStyle = colour;
  context.lineWidth = 2;
  context.beginPath();
  // One stripe across the tile and the two corners of its neighbours, so the stripes join up when repeated.
  for (const offset of [-size, 0, size]) {
    context.moveTo(offset, size);
    context.lineTo(offset + size, 0);
  }
  context.stroke();
  return context.createPattern(tile, 'repeat') ?? colour;
}

/**
 * A bar dataset's `backgroundColor` (a Chart.js scriptable option): the colour,
 * hatched for a bar whose period is incomplete; the legend's swatch (a
 * dataset context, not a bar) stays plain.
 */
export function barFill(flags: readonly boolean[], colour: string): (context: { type: string; dataIndex: number }) => CanvasPattern | string {
  const pattern = flags.some(Boolean) ? hatched(colour) : colour;
  return (context) => (context.type === 'data' && flags[context.dataIndex] ? pattern : colour);
}

/** A tooltip title (Chart.js `callbacks.title`): the period's label, and a second line when it is incomplete. */
export function incompleteTitle(flags: readonly boolean[]) {
  return (items: { label: string; dataIndex: number }[]): string | string[] => {
    const first = items[0];
    if (!first) return '';
    return flags[first.dataIndex] ? [first.label, `(${INCOMPLETE_TEXT})`] : first.label;
  };
}

/** The note under a chart that has an incomplete period, saying how it is drawn: "Dashed: incomplete period". */
export function incompleteNote(flags: readonly boolean[], drawn: string): TemplateResult | typeof nothing {
  return flags.some(Boolean) ? html`<p class="note incomplete-note" part="incomplete-note">${drawn}: ${INCOMPLETE_TEXT} (not ended yet, may still grow).</p>` : nothing;
}
