import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
  type ScaleOptionsByType,
} from 'chart.js';
import { SERIES_COLOURS } from './theme.styles.ts';

// Only the parts the widgets use, so the bundle carries nothing else.
Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

/** The theme's colours as resolved on an element, for Chart.js (which draws on a canvas, outside CSS). */
export interface ChartColours {
  foreground: string;
  background: string;
  muted: string;
  border: string;
  series: string[];
}

export function chartColours(host: HTMLElement): ChartColours {
  const style = getComputedStyle(host);
  const read = (name: string): string => style.getPropertyValue(name).trim();
  return {
    foreground: read('--_fg'),
    background: read('--_bg'),
    muted: read('--_muted'),
    border: read('--_border'),
    series: Array.from({ length: SERIES_COLOURS }, (_, i) => read(`--_series-${i + 1}`)),
  };
}

/** Axis and legend options in the theme's colours. */
export function themedScales(colours: ChartColours): { x: Partial<ScaleOptionsByType<'category'>>; y: Partial<ScaleOptionsByType<'linear'>> } {
  const axis = { ticks: { color: colours.muted }, border: { color: colours.border } };
  return {
    x: { ...axis, grid: { display: false } } as Partial<ScaleOptionsByType<'category'>>,
    y: { ...axis, grid: { color: colours.border }, beginAtZero: true } as Partial<ScaleOptionsByType<'linear'>>,
  };
}

/** An axis title in the theme's muted colour: every axis with a unit says what it counts. */
export function axisTitle(text: string, colours: ChartColours): { display: true; text: string; color: string } {
  return { display: true, text, color: colours.muted };
}

/**
 * A category axis of periods (or buckets), labelled level: a label that does
 * not fit is skipped, never turned 45°, so 90 days read as a few dates.
 */
export function periodAxis(colours: ChartColours, title?: string): Partial<ScaleOptionsByType<'category'>> {
  const { x } = themedScales(colours);
  return {
    ...x,
    ticks: { ...x.ticks, maxRotation: 0, autoSkip: true, autoSkipPadding: 12 },
    ...(title ? { title: axisTitle(title, colours) } : {}),
  } as Partial<ScaleOptionsByType<'category'>>;
}

/** A value axis of whole counts (users, events, sessions): integer ticks only, so no axis reads "2.5 users". */
export function countAxis(colours: ChartColours, title: string): Partial<ScaleOptionsByType<'linear'>> {
  const { y } = themedScales(colours);
  return { ...y, ticks: { ...y.ticks, precision: 0 }, title: axisTitle(title, colours) } as Partial<ScaleOptionsByType<'linear'>>;
}

/**
 * How every line is drawn between its points: straight. A smoothed curve
 * (`tension` above 0) overshoots between points and shows values, such as a
 * dip below zero, that were never measured.
 */
export const STRAIGHT_LINE = { tension: 0 } as const;

/**
 * One chart drawn into a widget's canvas: created on first draw, updated in
 * place afterwards, destroyed when the widget leaves the page (a Lit
 * controller of the widget). Chart.js resizes it with its container
 * (`responsive`).
 */
export class ChartSlot<T extends ChartType = ChartType> implements ReactiveController {
  private chart: Chart<T> | undefined;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.destroy();
  }

  get instance(): Chart<T> | undefined {
    return this.chart;
  }

  draw(canvas: HTMLCanvasElement | null | undefined, config: ChartConfiguration<T>): void {
    if (!canvas) return;
    const options = { responsive: true, maintainAspectRatio: false, animation: false, ...config.options } as ChartConfiguration<T>['options'];
    if (this.chart && this.chart.canvas === canvas && (this.chart.config as { type?: string }).type === (config as { type?: string }).type) {
      this.chart.data = config.data;
      this.chart.options = options!;
      this.chart.update();
      return;
    }
    this.chart?.destroy();
    this.chart = new Chart(canvas, { ...config, options });
  }

  /**
   * The data point under a click on the canvas, if any. Widgets listen for
   * clicks themselves rather than through Chart.js's onClick, which waits
   * for an animation frame: never, in a background tab.
   */
  hitAt(event: MouseEvent): { datasetIndex: number; index: number } | undefined {
    const hit = this.chart?.getElementsAtEventForMode(event, 'nearest', { intersect: true }, false)[0];
    return hit && { datasetIndex: hit.datasetIndex, index: hit.index };
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = undefined;
  }
}
