/**
 * The panel's "Extension authors" view: what the author of an extension
 * that uses `footprint/vscode` sees of its users, here those of a made-up
 * extension, "Word Count". With the demo's server the widgets ask its
 * `word-count` project (embed tokens from `/demo/token?project=word-count`);
 * without it, the same events are generated in the page
 * (generateExtensionSampleEvents) and computed in the browser.
 *
 * The view loads nothing until it is first shown.
 */
import { generateExtensionSampleEvents } from '../../shared/sample-extension-data.ts';
import type { FpDashboard } from '../fp-dashboard/fp-dashboard.ts';
import type { FpRetention } from '../fp-retention/fp-retention.ts';
import type { FpSource } from '../fp-source/fp-source.ts';

/** The server's project of the extension's users. */
export const EXTENSION_PROJECT = 'word-count';

/** Where the view's data comes from: the demo's server (its API's URL) or the page. */
export type AuthorData = { endpoint: string } | 'sample';

export interface AuthorViewParts {
  source: FpSource;
  dashboard: FpDashboard;
  /**
   * Weekly whatever the dashboard's interval (a daily cohort table of 90
   * days is unreadable), so it sits outside the widgets the dashboard sets
   * the interval of, and gets the range from here.
   */
  retention: FpRetention;
}

/** A token for the extension's project, as an admin page's own backend would mint it. */
async function extensionToken(): Promise<string> {
  const response = await fetch(`./demo/token?project=${EXTENSION_PROJECT}`);
  if (!response.ok) throw new Error(`the demo's backend gave no token for ${EXTENSION_PROJECT} (${response.status})`);
  return ((await response.json()) as { token: string }).token;
}

/** The view's data, set with `use` and loaded once the view is shown. */
export class AuthorView {
  private data: AuthorData | undefined;
  /** What is loaded: `sample` or the endpoint. */
  private loaded: string | undefined;
  private visible = false;
  private sampleUrl: string | undefined;

  constructor(private readonly parts: AuthorViewParts) {
    const followRange = (): void => {
      const { from, to } = parts.dashboard.dates;
      parts.retention.from = from;
      parts.retention.to = to;
    };
    parts.dashboard.addEventListener('fp-range-change', followRange);
    followRange();
  }

  /** Where the data comes from from now on; loads at once when the view is shown. */
  use(data: AuthorData): void {
    this.data = data;
    if (this.visible) this.load();
  }

  /** The view is shown (true) or hidden. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.load();
  }

  private load(): void {
    const data = this.data;
    const key = data === 'sample' ? data : data?.endpoint;
    if (data === undefined || key === this.loaded) return;
    this.loaded = key;
    const source = this.parts.source;
    if (data === 'sample') {
      // NDJSON in a Blob: the source's worker ingests it, as it would a file.
      if (!this.sampleUrl) {
        const ndjson = generateExtensionSampleEvents().map((event) => JSON.stringify(event)).join('\n');
        this.sampleUrl = URL.createObjectURL(new Blob([ndjson], { type: 'application/x-ndjson' }));
      }
      source.removeAttribute('endpoint');
      source.setAttribute('format', 'ndjson');
      source.setAttribute('src', this.sampleUrl);
    } else {
      source.removeAttribute('src');
      source.removeAttribute('format');
      source.getToken = extensionToken;
      source.setAttribute('project', EXTENSION_PROJECT);
      source.setAttribute('endpoint', data.endpoint);
    }
  }
}
