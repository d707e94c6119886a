/**
 * Seconds as a reader says them: "45 s", "5 min", "23 h", "2.1 days" (one
 * decimal below 10). A unit ends half a step early so 59.7 s reads "1 min", not "60 s".
 */
export function formatDuration(seconds: number): string {
  const [value, unit] =
    seconds < 59.5 ? [seconds, 's'] : seconds < 3570 ? [seconds / 60, 'min'] : seconds < 84_600 ? [seconds / 3600, 'h'] : [seconds / 86_400, 'days'];
  const text = value.toLocaleString('en', { maximumFractionDigits: value < 10 ? 1 : 0 });
  return `${text} ${unit === 'days' && text === '1' ? 'day' : unit}`;
}
