/** Number formats shared by the widgets. */

/** A fraction as a percentage: one decimal below 10% (so small shares do not all read "0%"), whole above. */
export function percent(fraction: number): string {
  const value = fraction * 100;
  return `${value.toLocaleString('en', { maximumFractionDigits: value < 10 ? 1 : 0 })}%`;
}

/** A fraction as a percentage with one decimal: `12.5%`. */
export const percentOneDecimal = (fraction: number): string => `${(fraction * 100).toFixed(1)}%`;
