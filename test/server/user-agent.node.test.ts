import { expect } from 'chai';
import { deviceProperties } from '../../server/ingest/user-agent.ts';

/** Real User-Agent strings, as the browsers named send them. */
const AGENTS = {
  chromeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
  safariIpad: 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  androidPhone: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36',
  androidTablet: 'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91',
};

describe('deviceProperties derives $browser, $os and $device_type from a User-Agent (server/ingest/user-agent.ts)', () => {
  it('names the browser, the OS and the device type of real browsers', () => {
    expect(Object.fromEntries(Object.entries(AGENTS).map(([name, agent]) => [name, deviceProperties(agent)]))).to.deep.equal({
      chromeWindows: { $browser: 'Chrome', $os: 'Windows', $device_type: 'Desktop' },
      safariIphone: { $browser: 'Safari', $os: 'iOS', $device_type: 'Mobile' },
      safariIpad: { $browser: 'Safari', $os: 'iOS', $device_type: 'Tablet' },
      safariMac: { $browser: 'Safari', $os: 'macOS', $device_type: 'Desktop' },
      firefoxLinux: { $browser: 'Firefox', $os: 'Linux', $device_type: 'Desktop' },
      androidPhone: { $browser: 'Chrome', $os: 'Android', $device_type: 'Mobile' },
      androidTablet: { $browser: 'Chrome', $os: 'Android', $device_type: 'Tablet' },
      edgeWindows: { $browser: 'Microsoft Edge', $os: 'Windows', $device_type: 'Desktop' },
    });
  });

  it('gives nothing it cannot tell: no agent, an empty one, garbage, curl, Node', () => {
    for (const agent of [undefined, '', '   ', 'asdf qwer', '\u0000\u00ff', 'curl/8.5.0', 'node']) {
      expect(deviceProperties(agent), JSON.stringify(agent)).to.deep.equal({});
    }
  });

  it('gives no $device_type for a platform PostHog has no value for (a TV)', () => {
    const tv = 'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36';
    expect(deviceProperties(tv)).to.deep.equal({ $browser: 'Samsung Internet for Android', $os: 'Tizen' });
  });
});
