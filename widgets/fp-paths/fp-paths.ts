import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { PathsResult } from '../../shared/index.ts';
import { type DataTable } from '../base/fp-element.ts';
import { SessionWidget } from '../base/session-widget.ts';
import { commaList } from '../base/attributes.ts';
import { SERIES_COLOURS } from '../base/theme.styles.ts';
import { pathsStyles } from './fp-paths.styles.ts';
import { layoutPaths, type PathLayout, type PathNode } from './paths-layout.ts';
import { styleProperties } from '../base/style-properties.ts';

/** Detail of `fp-path-node-click`: an event at a step (1-based, as the core numbers them) and the paths through it. */
export interface PathNodeClick {
  step: number;
  event: string;
  count: number;
}

/** Sizes of the diagram, in CSS pixels. */
const NODE_WIDTH = 10;
/** Columns share the card's width down to this; narrower, the diagram scrolls inside the card. */
const MIN_COLUMN = 96;
const GAP = 10;
/** Most nodes drawn in a column; the rest become one node, "N other events". */
const NODES_PER_COLUMN = 10;
/** Two label lines (12px and 11px text) per node. */
const SLOT = 34;
const DEFAULT_HEIGHT = 240;
/** About the width of a bold 12px character, to shorten names that would run into the next column. */
const CHAR_WIDTH = 7.5;
/** About the width of an 11px character of the counts line. */
const COUNT_CHAR_WIDTH = 6.2;
/** Room between a node's bar and its labels, and after them. */
const LABEL_PAD = 6;
/** Room around the diagram for the focus ring of the outer nodes. */
const MARGIN = 4;

const plural = (count: number, word: string) => `${count.toLocaleString('en')} ${word}${count === 1 ? '' : 's'}`;

/** `text` in at most `room` characters, ending with an ellipsis when cut. */
const shortened = (text: string, room: number): string => (text.length > room ? `${text.slice(0, Math.max(1, room - 1))}…` : text);

/** A node's counts in the room there is: `1,432 paths, 59 end`, else `1,432, 59 end`, else `1,432` (numbers are never cut). */
function countsText(node: PathNode, room: number): string {
  const count = node.count.toLocaleString('en');
  const end = node.dropOff ? `, ${node.dropOff.toLocaleString('en')} end` : '';
  return [`${plural(node.count, 'path')}${end}`, `${count}${end}`].find((text) => text.length <= room) ?? count;
}

/**
 * The paths users take through a session: a column per step, a node per
 * event at that step (as tall as the paths through it), and bands between
 * them as wide as the transitions (Sankey-like). Paths that end at a node
 * show as a faded stub beside it, and a path of one event is a node of its
 * own. The columns share the card's width (a name too long for its column
 * is cut, with the full name in the node's tooltip); below 96 px a column,
 * the diagram scrolls inside the card. A column keeps its 9 busiest nodes
 * and draws the rest as one, "N other events". Each node but that one is a
 * button.
 *
 * @summary Flows between events, step by step.
 * @attr start - paths begin at the session's first event of this name.
 * @attr end - paths end at the session's last event of this name.
 * @attr steps - longest path in events (2..20); default 5.
 * @attr include - only these events, separated by commas: `$pageview, signup`.
 * @attr exclude - leave these events out, separated by commas.
 * @attr limit - how many transitions to draw, the most frequent first; default 50.
 *
 * @event fp-path-node-click - a node was activated (click, Enter or Space); detail `PathNodeClick` `{ step, event, count }`, `step` 1-based.
 *
 * @csspart diagram - the SVG.
 * @csspart node - a node's group (its box and its clickable area).
 * @csspart link - a band between two nodes.
 *
 * @example
 * <fp-paths label="After the landing page" start="$pageview" steps="4" exclude="$click"></fp-paths>
 */
@customElement('fp-paths')
export class FpPaths extends SessionWidget<'paths'> {
  static override styles = [...SessionWidget.styles, pathsStyles];

  protected readonly kind = 'paths';

  /** First event of every path. */
  @property() start?: string;
  /** Last event of every path. */
  @property() end?: string;
  /** Longest path, in events. */
  @property({ type: Number }) steps?: number;
  /** Only these events. */
  @property({ converter: commaList }) include?: string[];
  /** Not these events. */
  @property({ converter: commaList }) exclude?: string[];
  /** How many transitions to draw. */
  @property({ type: Number }) limit?: number;

  // A plain field, not reactive state: the base class re-runs the query when any reactive property changes.
  private availableWidth = 0;
  private readonly resizer = new ResizeObserver(([entry]) => {
    const width = Math.floor(entry?.contentRect.width ?? 0);
    if (width > 0 && width !== this.availableWidth) {
      this.availableWidth = width;
      this.requestUpdate();
    }
  });
  private observed: Element | null = null;

  protected specFields() {
    return {
      start: this.start,
      end: this.end,
      steps: this.steps,
      include: this.include,
      exclude: this.exclude,
      limit: this.limit,
      ...this.sessionFields(),
    };
  }

  // Every path ends somewhere: paths of one event have drop-offs and no transition.
  protected isEmpty(result: PathsResult): boolean {
    return result.transitions.length === 0 && result.dropOffs.length === 0;
  }

  protected summary(result: PathsResult): string {
    const total = result.dropOffs.reduce((sum, drop) => sum + drop.count, 0);
    if (result.transitions.length === 0) {
      const events = [...result.dropOffs].sort((a, b) => b.count - a.count).slice(0, 3).map((drop) => `${drop.event} (${plural(drop.count, 'path')})`);
      return `${plural(total, 'path')}, each of one event: ${events.length > 1 ? `${events.slice(0, -1).join(', ')} and ${events[events.length - 1]}` : events[0]}.`;
    }
    const top = result.transitions.slice(0, 3).map((t) => `${t.from} to ${t.to} at step ${t.step} (${plural(t.count, 'path')})`);
    const list = top.length > 1 ? `${top.slice(0, -1).join(', ')} and ${top[top.length - 1]}` : top[0];
    return `${plural(total, 'path')}. The most common ${top.length > 1 ? 'transitions' : 'transition'}: ${list}.`;
  }

  protected dataTable(result: PathsResult): DataTable {
    return {
      caption: this.label ?? 'Top transitions between steps, then where paths end',
      columns: ['Step', 'From', 'To', 'Paths'],
      rows: [
        ...result.transitions.map((t) => [t.step, t.from, t.to, t.count]),
        ...result.dropOffs.map((drop) => [drop.step, drop.event, '(path ends)', drop.count]),
      ],
    };
  }

  private activate(node: PathNode): void {
    this.emit<PathNodeClick>('fp-path-node-click', { step: node.step, event: node.event, count: node.count });
  }

  private onKey(event: KeyboardEvent, node: PathNode): void {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault(); // Space would scroll the page.
    this.activate(node);
  }

  /** The chart height from `--fp-chart-height` when it is in pixels, as the other widgets size their charts. */
  private get targetHeight(): number {
    const value = getComputedStyle(this).getPropertyValue('--fp-chart-height').trim();
    return value.endsWith('px') ? parseFloat(value) : DEFAULT_HEIGHT;
  }

  private renderNode(node: PathNode, layout: { columnWidth: number; colour: string }): TemplateResult {
    const labelWidth = layout.columnWidth - NODE_WIDTH - 2 * LABEL_PAD;
    const name = shortened(node.event, Math.floor(labelWidth / CHAR_WIDTH));
    const counts = countsText(node, Math.floor(labelWidth / COUNT_CHAR_WIDTH));
    const textX = node.x + NODE_WIDTH + LABEL_PAD;
    const dropHeight = (node.height * node.dropOff) / node.count;
    const label = `${node.event}, step ${node.step}: ${plural(node.count, 'path')}${node.dropOff ? `, ${node.dropOff.toLocaleString('en')} end here` : ''}`;
    const hitWidth = Math.min(labelWidth, Math.max(name.length * CHAR_WIDTH, counts.length * COUNT_CHAR_WIDTH)) + NODE_WIDTH + 2 * LABEL_PAD;
    // The title is the group's, so hovering a shortened name shows it whole. A node of other events is no one event to choose: not a button.
    const others = node.others;
    const title = others ? `${label}: ${others.slice(0, 10).join(', ')}${others.length > 10 ? ', …' : ''}` : label;
    return svg`<g class=${others ? 'node others' : 'node'} part="node" role=${others ? 'img' : 'button'} tabindex=${others ? nothing : 0} aria-label=${title}
        ${styleProperties({ '--_c': layout.colour })}
        @click=${() => others || this.activate(node)} @keydown=${(e: KeyboardEvent) => others || this.onKey(e, node)}>
        <title>${title}</title>
        <rect class="hit" x=${node.x - 2} y=${node.y - 2} width=${hitWidth} height=${Math.max(node.height, SLOT) + 4}></rect>
        <rect class="bar" x=${node.x} y=${node.y} width=${NODE_WIDTH} height=${node.height}></rect>
        ${dropHeight > 0 ? svg`<rect class="drop" x=${node.x + NODE_WIDTH} y=${node.y + node.outHeight} width=${NODE_WIDTH} height=${dropHeight}></rect>` : ''}
      </g>
      <text class="name" x=${textX} y=${node.y + 12} aria-hidden="true">${name}</text>
      <text class="count" x=${textX} y=${node.y + 27} aria-hidden="true">${counts}</text>`;
  }

  private renderDiagram(layout: PathLayout, columnWidth: number): TemplateResult {
    // One colour per event name, the busiest first, so an event keeps its colour in every column.
    const byTraffic = [...new Set([...layout.nodes].sort((a, b) => b.count - a.count).map((n) => n.event))];
    const colour = (event: string) => `var(--_series-${(byTraffic.indexOf(event) % SERIES_COLOURS) + 1})`;
    const nodeColour = (node: PathNode) => (node.others ? 'var(--_muted)' : colour(node.event));
    const links = layout.links.map((link) => {
      const x0 = link.from.x + NODE_WIDTH;
      const x1 = link.to.x;
      const [y0, y1] = [link.y0 + link.width / 2, link.y1 + link.width / 2];
      const middle = (x0 + x1) / 2;
      return svg`<path class="band" part="link" ${styleProperties({ '--_c': nodeColour(link.from) })} stroke-width=${link.width}
        d=${`M${x0},${y0} C${middle},${y0} ${middle},${y1} ${x1},${y1}`}><title>${`${link.from.event} -> ${link.to.event}: ${link.count.toLocaleString('en')}`}</title></path>`;
    });
    const [width, height] = [layout.width + 2 * MARGIN, layout.height + 2 * MARGIN];
    return html`<svg part="diagram" width=${width} height=${height} viewBox=${`${-MARGIN} ${-MARGIN} ${width} ${height}`}>
      ${links} ${layout.nodes.map((node) => this.renderNode(node, { columnWidth, colour: nodeColour(node) }))}
    </svg>`;
  }

  // The steps are operable, so they follow the role="img" summary instead of being inside it.
  protected renderResult(): TemplateResult {
    return html``;
  }

  protected override renderDetails(result: PathsResult): TemplateResult {
    // Before the first measurement, the host's width less the frame's padding and border.
    const available = this.availableWidth || Math.max(0, this.clientWidth - 34);
    // The last step a path reaches: a transition's target, or where a path ends.
    const columns = Math.max(...result.transitions.map((t) => t.step + 1), ...result.dropOffs.map((drop) => drop.step));
    const columnWidth = Math.max(MIN_COLUMN, Math.floor((available - 2 * MARGIN) / columns));
    const layout = layoutPaths(result, { columnWidth, height: this.targetHeight, nodeWidth: NODE_WIDTH, gap: GAP, slot: SLOT, nodesPerColumn: NODES_PER_COLUMN });
    return html`<div class="scroll">${this.renderDiagram(layout, columnWidth)}</div>`;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    // The scroll box is a new element whenever the widget comes back to `ready`: watch that one.
    const box = this.renderRoot.querySelector('.scroll');
    if (box === this.observed) return;
    this.resizer.disconnect();
    if (box) this.resizer.observe(box);
    this.observed = box;
  }

  protected override releaseResources(): void {
    this.resizer.disconnect();
    this.observed = null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fp-paths': FpPaths;
  }
  interface GlobalEventHandlersEventMap {
    'fp-path-node-click': CustomEvent<PathNodeClick>;
  }
}
