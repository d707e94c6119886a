import { expect } from 'chai';
import { runInNewContext } from 'node:vm';
import { REMOTE_CONFIG } from '../../server/compat/posthog/remote-config.ts';
import { request, startServer, type TestServer } from './harness.ts';

/** The SDKs' configuration and flag calls: everything Footprint does not serve is off, for a write key only. */
describe('PostHog remote configuration: /decide, /flags, /array/<token>/config(.js) (server/compat/posthog)', () => {
  let t: TestServer;
  before(async () => (t = await startServer({ projects: { shop: { origins: ['https://shop.example'] } } })));
  after(() => t.close());

  it('turns off flags, recordings, surveys, heatmaps, dead clicks, web vitals and exception autocapture, and asks for gzip', () => {
    expect(REMOTE_CONFIG).to.not.have.property('surveys');
    expect(REMOTE_CONFIG).to.include({ hasFeatureFlags: false, sessionRecording: false, heatmaps: false, captureDeadClicks: false, capturePerformance: false, autocaptureExceptions: false, elementsChainAsString: true });
    expect(REMOTE_CONFIG.supportedCompression).to.deep.equal(['gzip', 'gzip-js']);
    expect([REMOTE_CONFIG.featureFlags, REMOTE_CONFIG.flags, REMOTE_CONFIG.siteApps]).to.deep.equal([{}, {}, []]);
  });

  it('answers /flags (posthog-node, posthog-js) and /decide (old SDKs, a base64 form) with the configuration for a write key', async () => {
    const flags = await request(`${t.url}/flags/?v=2&config=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: t.keys.write, distinct_id: 'ann' }) });
    const decide = await request(`${t.url}/decide/?v=3`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `data=${encodeURIComponent(Buffer.from(JSON.stringify({ token: t.keys.write, distinct_id: 'ann' })).toString('base64'))}`,
    });
    const get = await request(`${t.url}/decide?v=4&token=${t.keys.write}`);
    for (const answer of [flags, decide, get]) expect([answer.status, answer.body]).to.deep.equal([200, REMOTE_CONFIG]);
  });

  it('answers /array/<token>/config as JSON and config.js as the script posthog-js loads, to the project\'s origin', async () => {
    const json = await request(`${t.url}/array/${t.keys.write}/config`, { headers: { origin: 'https://shop.example' } });
    expect([json.status, json.body, json.headers.get('access-control-allow-origin')]).to.deep.equal([200, REMOTE_CONFIG, 'https://shop.example']);
    const script = await request(`${t.url}/array/${t.keys.write}/config.js`);
    expect([script.status, script.headers.get('content-type')]).to.deep.equal([200, 'application/javascript; charset=utf-8']);
    const window: Record<string, any> = {};
    runInNewContext(script.body as string, { window });
    expect(window._POSTHOG_REMOTE_CONFIG).to.deep.equal({ [t.keys.write]: { config: REMOTE_CONFIG, siteApps: [] } });
  });

  it('refuses an unknown or missing token with 401, and another origin with 403', async () => {
    expect((await request(`${t.url}/array/fpw_nope/config.js`)).status).to.equal(401);
    const missing = await request(`${t.url}/flags/?v=2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ distinct_id: 'ann' }) });
    expect([missing.status, missing.body.error]).to.deep.equal([401, "missing token: PostHog's api_key (or token) must be a Footprint write key (fpw_…)"]);
    const elsewhere = await request(`${t.url}/array/${t.keys.write}/config`, { headers: { origin: 'https://evil.example' } });
    expect([elsewhere.status, elsewhere.body.error]).to.deep.equal([403, "origin 'https://evil.example' is not allowed for project 'shop'"]);
  });
});
