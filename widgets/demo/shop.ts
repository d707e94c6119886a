/**
 * The demo's shop page (`/shop.html` of `npm start`): a site that records
 * its visitors' page views and clicks with Footprint's tracker, behind an
 * `fp-consent` banner, and sends them to the demo's Footprint server with
 * the project's public write key, as any site would.
 */
import { createTracker, httpSink } from '../../shared/tracker/index.ts';
import type { FpConsent } from '../fp-consent/fp-consent.ts';

/** What the demo's server tells its pages: the project's write key (public by design: it can only add events). */
interface ShopConfig {
  endpoint: string;
  writeKey: string;
}

const status = document.querySelector<HTMLElement>('#status')!;

async function start(): Promise<void> {
  const response = await fetch('./demo/config');
  if (!response.ok) throw new Error(`the demo server did not give its config (${response.status})`);
  const config = (await response.json()) as ShopConfig;
  const tracker = createTracker({
    // The key goes in the URL: sendBeacon, which sends what is queued when the page is hidden, cannot set headers.
    // A one-second batch, so that a click shows in the admin panel within seconds.
    sinks: [httpSink({ url: `${config.endpoint}/events?key=${encodeURIComponent(config.writeKey)}`, flushIntervalMs: 1_000 })],
    autocapture: true,
    storagePrefix: 'footprint-demo-shop',
  });
  await customElements.whenDefined('fp-consent');
  document.querySelector<FpConsent>('#consent')!.tracker = tracker;
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-plan]')) {
    button.addEventListener('click', () => {
      // Autocapture records the click itself; this names what it meant.
      tracker.track('plan_selected', { plan: button.dataset.plan });
      status.textContent = tracker.consent === 'granted' ? `Recorded: plan_selected (${button.dataset.plan}).` : 'Not recorded: recording is off until you allow it.';
    });
  }
}

start().catch((error: unknown) => {
  status.textContent = `The shop's tracker did not start: ${error instanceof Error ? error.message : String(error)}`;
  throw error;
});
