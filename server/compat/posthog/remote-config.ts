/**
 * What Footprint answers posthog-js's and the server SDKs' configuration
 * and flag calls with: everything it does not serve switched off, so the
 * SDK captures events and nothing else, loads no extension scripts and
 * calls no other endpoint (checked in Chromium with posthog-js's default
 * build and its full/no-external one). posthog-js reads each key below on
 * `/array/<token>/config` (1.2xx on), the flags on `/flags` (and old
 * versions everything on `/decide`).
 */
export const REMOTE_CONFIG = Object.freeze({
  /** posthog-js gzips its batches (`?compression=gzip-js`), which the server decodes. */
  supportedCompression: ['gzip', 'gzip-js'],
  /** No flags: posthog-js then never calls `/flags` on load. */
  hasFeatureFlags: false,
  featureFlags: {},
  featureFlagPayloads: {},
  flags: {},
  errorsWhileComputingFlags: false,
  quotaLimited: [],
  /** Clicks, changes and submits are captured; `$click` comes from them. */
  autocapture_opt_out: false,
  /** Only the element chain, not its copy as an array: the server reads the chain. */
  elementsChainAsString: true,
  /** Off unless the page sets `capture_exceptions: true`: in the default build it would load a script from this server, which serves none. */
  autocaptureExceptions: false,
  errorTracking: { autocaptureExceptions: false, suppressionRules: [] },
  sessionRecording: false,
  heatmaps: false,
  captureDeadClicks: false,
  capturePerformance: false,
  // No `surveys` key at all: given one, even `false`, posthog-js's default build loads its surveys script from this server.
  productTours: false,
  conversations: false,
  logs: false,
  siteApps: [],
  toolbarParams: {},
  isAuthenticated: false,
  defaultIdentifiedOnly: true,
});

/**
 * `/array/<token>/config.js`, the script the default posthog-js build
 * loads first: it leaves the same configuration where posthog-js looks for
 * it (`window._POSTHOG_REMOTE_CONFIG[token].config`).
 */
export function remoteConfigScript(token: string): string {
  const entry = JSON.stringify({ config: REMOTE_CONFIG, siteApps: [] });
  // JSON escapes quotes and backslashes; '<' is escaped too, so no "</script>" can close an inline copy.
  const key = JSON.stringify(token).replace(/</g, '\\u003c');
  return `(function(){var w=window;w._POSTHOG_REMOTE_CONFIG=w._POSTHOG_REMOTE_CONFIG||{};w._POSTHOG_REMOTE_CONFIG[${key}]=${entry};})();\n`;
}
