/**
 * Heat-map cell colours from the theme: a cell's background is the theme's
 * background mixed with its accent by a share (0..1), and its text is the
 * theme's foreground or background, whichever reads better on it.
 *
 * Worked out in script rather than with CSS `color-mix()` so the text colour
 * can be chosen by measured contrast (any VS Code theme's accent can land
 * anywhere), and so the inline colours are plain `rgb()` that accessibility
 * checkers read.
 */

type Rgb = [number, number, number];

/** Colours of one cell. */
export interface CellColours {
  background: string;
  color: string;
}

/** WCAG AA for normal text. */
const MIN_CONTRAST = 4.5;
/** Even a 0% cell is tinted, so it reads as a cell with a value, unlike the blank cells not reached yet. */
const FLOOR = 0.06;

let probe: CanvasRenderingContext2D | null | undefined;

/** Any CSS colour as sRGB bytes, by painting one pixel (handles hex, names, rgb(), hsl(), oklch() alike). */
function parseColour(value: string, fallback: Rgb): Rgb {
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!probe || !value) return fallback;
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = value;
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
  return a === 0 ? fallback : [r!, g!, b!];
}

function luminance([r, g, b]: Rgb): number {
  const linear = (c: number): number => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function contrast(a: Rgb, b: Rgb): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

const mix = (from: Rgb, to: Rgb, t: number): Rgb => from.map((c, i) => Math.round(c + (to[i]! - c) * t)) as Rgb;
const css = ([r, g, b]: Rgb): string => `rgb(${r}, ${g}, ${b})`;

/**
 * A function from share (0..1) to cell colours, for the resolved theme colours.
 * Mixes where neither text colour reaches AA contrast are moved to the nearest
 * mix where one does, so every cell stays readable; the shades still rise with
 * the share.
 */
export function heatScale(accent: string, background: string, foreground: string): (share: number) => CellColours {
  const bg = parseColour(background, [255, 255, 255]);
  const fg = parseColour(foreground, [0, 0, 0]);
  const hot = parseColour(accent, fg);
  // One entry per whole percent: a cell's shade need not be finer than that.
  const steps = Array.from({ length: 101 }, (_, i) => {
    const cell = mix(bg, hot, FLOOR + ((1 - FLOOR) * i) / 100);
    const [text, score] = contrast(cell, fg) >= contrast(cell, bg) ? [fg, contrast(cell, fg)] : [bg, contrast(cell, bg)];
    return { cell, text, readable: score >= MIN_CONTRAST };
  });
  const colours = steps.map((step, i) => {
    if (step.readable) return step;
    let nearest = step;
    for (let d = 1; d <= 100; d++) {
      const candidate = [steps[i - d], steps[i + d]].find((s) => s?.readable);
      if (candidate) {
        nearest = candidate;
        break;
      }
    }
    return nearest;
  });
  return (share) => {
    const step = colours[Math.round(Math.min(1, Math.max(0, share)) * 100)]!;
    return { background: css(step.cell), color: css(step.text) };
  };
}
