/**
 * The demo admin panel of `npm start`: an admin page built only from the
 * widgets' script tag. Its widgets ask the demo's Footprint server (the
 * sample data, and what the demo's shop page sends), with embed tokens the
 * page's backend mints (`/demo/token`); or they compute in the page, on the
 * built-in sample data or a file the visitor drops on the page (read in the
 * browser, never uploaded). Served without the demo's server (dist/demo as
 * plain files), it computes in the page. The page also records the
 * visitor's own use of it with Footprint's tracker, once they allow it in
 * the consent banner, and shows it in "Your own usage". A second view,
 * "Extension authors" (`#extension`), shows a VS Code extension's users as
 * its author sees them (author-view.ts).
 */
import type { FpConsent } from '../fp-consent/fp-consent.ts';
import type { FpDashboard } from '../fp-dashboard/fp-dashboard.ts';
import type { FpRetention } from '../fp-retention/fp-retention.ts';
import type { FpSource } from '../fp-source/fp-source.ts';
import type { FpTrend } from '../fp-trend/fp-trend.ts';
import { AuthorView } from './author-view.ts';
import { startOwnUsage } from './own-usage.ts';
import { startViews } from './views.ts';

const source = document.querySelector<FpSource>('#data-source')!;
const dashboard = document.querySelector<FpDashboard>('#data-source fp-dashboard')!;
const dataChoice = document.querySelector<HTMLSelectElement>('#data')!;
const fileInput = document.querySelector<HTMLInputElement>('#file')!;
const themeChoice = document.querySelector<HTMLSelectElement>('#theme')!;
const author = new AuthorView({
  source: document.querySelector<FpSource>('#author-source')!,
  dashboard: document.querySelector<FpDashboard>('#author-dashboard')!,
  retention: document.querySelector<FpRetention>('#author-retention')!,
});
const views = startViews(document.querySelector<HTMLElement>('.views')!, (name) => author.setVisible(name === 'extension'));
const serverParts = [document.querySelector<HTMLElement>('#server-hint')!, document.querySelector<HTMLElement>('#shop-panel')!];

/** The demo backend's answer: a token for the server, as an admin page's own backend would mint it. */
async function demoToken(): Promise<string> {
  const response = await fetch('./demo/token');
  if (!response.ok) throw new Error(`the demo's backend gave no token (${response.status})`);
  return ((await response.json()) as { token: string }).token;
}

/** Shows what the demo's Footprint server holds, live. */
function useServer(endpoint: string): void {
  source.removeAttribute('src');
  source.removeAttribute('format');
  source.removeAttribute('sample');
  source.getToken = demoToken;
  source.setAttribute('endpoint', endpoint);
  for (const part of serverParts) part.hidden = false;
  author.use({ endpoint });
  dataChoice.value = 'server';
}

/** Computes in the page, on the built-in sample data. */
function useSample(): void {
  source.removeAttribute('endpoint');
  source.removeAttribute('src');
  source.removeAttribute('format');
  source.setAttribute('sample', '');
  for (const part of serverParts) part.hidden = true;
  author.use('sample');
  dataChoice.value = 'sample';
}

/** The demo server's API, or null when the page is served without it. */
async function demoEndpoint(): Promise<string | null> {
  try {
    const response = await fetch('./demo/config');
    if (!response.ok) return null;
    return new URL((await response.json() as { endpoint: string }).endpoint, location.href).href;
  } catch {
    return null;
  }
}

const FORMATS: Record<string, string> = { ndjson: 'ndjson', jsonl: 'ndjson', json: 'json', csv: 'csv', sqlite: 'sqlite', db: 'sqlite' };

/** Shows a file's events: a Blob URL has no extension, so the format comes from the file's name. */
function load(file: File): void {
  const format = FORMATS[file.name.split('.').pop()?.toLowerCase() ?? ''];
  if (format) source.setAttribute('format', format);
  else source.removeAttribute('format');
  source.removeAttribute('endpoint');
  source.removeAttribute('sample');
  for (const part of serverParts) part.hidden = true;
  source.setAttribute('src', URL.createObjectURL(file));
  // Own data may be from any time: show the last 90 days.
  dashboard.range = '90d';
  dataChoice.value = 'file';
  // A file is shown in the web app's view; the extension's view keeps its data.
  views.show('shop');
}

/**
 * The shop panel's 24 hours end with the current hour: a range ending
 * today would draw the hours still to come as zeros. Moved on each new hour.
 */
function followTheHour(): void {
  const end = new Date();
  end.setMinutes(59, 59, 999);
  document.querySelector<FpTrend>('#shop-trend')!.to = end.toISOString();
  setTimeout(followTheHour, end.getTime() + 1 - Date.now());
}
followTheHour();

let endpoint: string | null = null;
dataChoice.addEventListener('change', () => {
  if (dataChoice.value === 'file') {
    fileInput.click();
    return;
  }
  if (dataChoice.value === 'server' && endpoint) useServer(endpoint);
  else useSample();
});
void demoEndpoint().then((found) => {
  endpoint = found;
  if (found) useServer(found);
  else {
    document.querySelector('#server-option')!.remove();
    useSample();
  }
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
  for (const element of document.querySelectorAll<FpDashboard | FpConsent | FpTrend | FpRetention>('fp-dashboard, fp-consent, #own-trend, #author-retention')) {
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
