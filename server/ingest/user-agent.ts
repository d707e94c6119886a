import Bowser from 'bowser';

/** The kind of device, with PostHog's `$device_type` values, so queries written for PostHog data read ours alike. */
export type DeviceType = 'Desktop' | 'Mobile' | 'Tablet';

/** What the server derives from a User-Agent and stores in place of it (the raw string is never stored). */
export interface DeviceProperties {
  /** Bowser's browser name: `Chrome`, `Firefox`, `Safari`, `Microsoft Edge`, ... */
  $browser?: string;
  /** Bowser's OS name: `Windows`, `macOS`, `iOS`, `Android`, `Linux`, ... */
  $os?: string;
  $device_type?: DeviceType;
}

/** Bowser's platform types that have a PostHog `$device_type`; others (`tv`, `bot`) get none rather than a made-up value. */
const DEVICE_TYPES: Readonly<Record<string, DeviceType>> = { desktop: 'Desktop', mobile: 'Mobile', tablet: 'Tablet' };

/**
 * The browser, OS and device type of a User-Agent, by bowser (MIT). A
 * property bowser cannot tell is absent, so an empty, missing or unknown
 * agent (curl, a Node program) gives `{}`. An iPad in its default
 * "desktop site" mode sends a Mac's User-Agent and reads as a Mac.
 */
export function deviceProperties(userAgent: string | undefined): DeviceProperties {
  if (typeof userAgent !== 'string' || userAgent.trim() === '') return {};
  const { browser, os, platform } = Bowser.parse(userAgent);
  const properties: DeviceProperties = {};
  if (browser.name) properties.$browser = browser.name;
  if (os.name) properties.$os = os.name;
  const deviceType = platform.type === undefined ? undefined : DEVICE_TYPES[platform.type];
  if (deviceType) properties.$device_type = deviceType;
  return properties;
}
