/**
 * The demo admin panel of `npm start`: an admin page built only from the
 * widgets' script tag, on the built-in sample data or a file the visitor
 * drops on the page (read in the browser, never uploaded). The page also
 * records the visitor's own use of it with Footprint's tracker, once they
 * allow it in the consent banner, and shows it in "Your own usage".
 */
import type { FpConsent } from '../fp-consent/fp-consent.ts';
import type { FpDashboard } from '../fp-dashboard/fp-dashboard.ts';
import type { FpSource } from '../fp-source/fp-source.ts';
import type { FpTrend } from '../fp-trend/fp-trend.ts';
import { startOwnUsage } from './own-usage.ts';

const source = document.querySelector<FpSource>('#data-source')!;
const dashboard = document.querySelector<FpDashboard>('fp-dashboard')!;
const dataChoice = document.querySelector<HTMLSelectElement>('#data')!;
const fileInput = document.querySelector<HTMLInputElement>('#file')!;
const themeChoice = document.querySelector<HTMLSelectElement>('#theme')!;

const FORMATS: Record<string, string> = { ndjson: 'ndjson', jsonl: 'ndjson', json: 'json', csv: 'csv', sqlite: 'sqlite', db: 'sqlite' };

/** Shows a file's events: a Blob URL has no extension, so the format comes from the file's name. */
function load(file: File): void {
  const format = FORMATS[file.name.split('.').pop()?.toLowerCase() ?? ''];
  if (format) source.setAttribute('format', format);
  else source.removeAttribute('format');
  source.removeAttribute('sample');
  source.setAttribute('src', URL.createObjectURL(file));
  // Own data may be from any time: show the last 90 days.
  dashboard.range = '90d';
  dataChoice.value = 'file';
}

dataChoice.addEventListener('change', () => {
  if (dataChoice.value === 'file') {
    fileInput.click();
    return;
  }
  source.removeAttribute('src');
  source.removeAttribute('format');
  source.setAttribute('sample', '');
});
fileInput.addEventListener('change', () => {
  const file = fileInput.files?.[0];
  if (file) load(file);
});

themeChoice.addEventListener('change', () => {
  const theme = themeChoice.value as '' | 'light' | 'dark';
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
  // The dashboard passes it to its widgets; the others are on the page itself.
  for (const element of document.querySelectorAll<FpDashboard | FpConsent | FpTrend>('fp-dashboard, fp-consent, #own-trend')) {
    element.theme = theme || undefined;
    if (!theme) element.removeAttribute('theme');
  }
});

// Dropping a file anywhere loads it.
let depth = 0;
document.addEventListener('dragenter', (event) => {
  if (!event.dataTransfer?.types.includes('Files')) return;
  depth++;
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', () => {
  depth = Math.max(0, depth - 1);
  if (depth === 0) document.body.classList.remove('dragging');
});
document.addEventListener('dragover', (event) => event.preventDefault());
document.addEventListener('drop', (event) => {
  event.preventDefault();
  depth = 0;
  document.body.classList.remove('dragging');
  const file = event.dataTransfer?.files[0];
  if (file) load(file);
});

void startOwnUsage({
  banner: document.querySelector<FpConsent>('#consent-banner')!,
  toggle: document.querySelector<FpConsent>('#own-consent')!,
  source: document.querySelector<FpSource>('#own-source')!,
  trend: document.querySelector<FpTrend>('#own-trend')!,
  status: document.querySelector<HTMLElement>('#own-status')!,
  list: document.querySelector<HTMLOListElement>('#own-events')!,
}).catch((error: unknown) => {
  const status = document.querySelector<HTMLElement>('#own-status')!;
  status.textContent = `Could not start recording your own usage: ${error instanceof Error ? error.message : String(error)}`;
  throw error;
});
