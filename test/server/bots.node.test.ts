import { expect } from 'chai';
import { isBotAgent } from '../../server/ingest/bots.ts';

describe('isBotAgent tells known bots from people and programs (server/ingest/bots.ts)', () => {
  it('calls crawlers and headless browsers bots', () => {
    for (const agent of [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    ]) {
      expect(isBotAgent(agent), agent).to.equal(true);
    }
  });

  it("calls browsers, a missing or empty agent, Node fetch, other HTTP libraries and PostHog's SDKs no bots", () => {
    for (const agent of [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
      undefined,
      '',
      ' ',
      'node', // Node's own fetch (undici) on Node 20
      'undici',
      'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
      'curl/8.5.0',
      'python-requests/2.31.0',
      'Go-http-client/1.1',
      'okhttp/4.12.0',
      'analytics-node-next/latest', // @segment/analytics-node 3
      'analytics-python/2.3.2',
      'analytics-go (version: 3.3.0)',
      'posthog-node/5.74.0',
      'posthog-python/3.6.0',
      'posthog-android/3.8.0',
    ]) {
      expect(isBotAgent(agent), JSON.stringify(agent)).to.equal(false);
    }
  });

  it("takes the User-Agent of this Node's fetch for no bot", async () => {
    const { createServer } = await import('node:http');
    const server = createServer((request, response) => response.end(request.headers['user-agent'] ?? ''));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const agent = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      expect(agent).to.match(/^(node|undici)\b/); // 'node' since Node 20
      expect(isBotAgent(agent)).to.equal(false);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
