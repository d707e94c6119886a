import { expect } from 'chai';
import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type ElementHandle, type HTTPRequest, type Page } from 'puppeteer-core';
// @ts-expect-error: plain .mjs helpers without types.
import { CHROMIUM_ARGS } from '../../scripts/chromium.mjs';
import { postQuery, request, startServer, type TestServer } from './harness.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The pages under test: posthog-js with autocapture on and capture off until
 * the person allows it in fp-consent, through posthogConsent
 * (footprint/widgets/fp-consent). `full` is the build with its extensions inlined and
 * no script loader (posthog-js/full/no-external, what the README advises:
 * this server serves no PostHog scripts), with exception capture on;
 * `default` is the package's default build, which loads its configuration
 * as a script (/array/<token>/config.js).
 */
function pageScript(build: 'full' | 'default'): string {
  return `
import posthog from '${build === 'full' ? 'posthog-js/full/no-external' : 'posthog-js'}';
import { posthogConsent } from './widgets/fp-consent/fp-consent.ts';
const { key, host } = window.__footprint;
posthog.init(key, {
  api_host: host,
  autocapture: true,
  capture_exceptions: ${build === 'full'},
  opt_out_capturing_by_default: true,
  persistence: 'localStorage',
  request_queue_config: { flush_interval_ms: 300 },
  // posthog-js drops events itself in a browser driven by a test (navigator.webdriver, a HeadlessChrome brand).
  opt_out_useragent_filter: true,
});
document.querySelector('fp-consent').tracker = posthogConsent(posthog);
window.posthog = posthog;
`;
}

function pageHtml(key: string, host: string, build: 'full' | 'default'): string {
  return `<!doctype html><html><head><title>Shop</title></head><body>
<main><h1>Shop</h1><button id="buy" class="primary">Buy now</button></main>
<fp-consent></fp-consent>
<script>
  window.__footprint = ${JSON.stringify({ key, host })};
  // An uncaught error from the page's own script (one thrown from the test's injected code reads "Script error.").
  window.crash = () => setTimeout(() => { throw new Error('boom at checkout'); });
</script>
<script type="module" src="/${build}.js"></script>
</body></html>`;
}

/** A button inside fp-consent's shadow root, by its text. */
async function consentButton(page: Page, text: string): Promise<ElementHandle<HTMLButtonElement>> {
  const handle = await page.evaluateHandle((label) => [...document.querySelector('fp-consent')!.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === label) ?? null, text);
  const button = handle.asElement() as ElementHandle<HTMLButtonElement> | null;
  if (!button) throw new Error(`no button "${text}" in fp-consent`);
  return button;
}

describe('posthog-js in Chromium sends to a Footprint server, behind fp-consent (server/compat/posthog, posthogConsent from widgets/fp-consent)', function () {
  this.timeout(120_000);
  let site: Server;
  let origin: string;
  let t: TestServer;
  let browser: Browser;
  const scripts: Record<string, string> = {};

  before(async () => {
    for (const name of ['full', 'default'] as const) {
      const bundled = await build({ stdin: { contents: pageScript(name), resolveDir: root, loader: 'ts' }, bundle: true, format: 'esm', target: 'es2022', write: false, tsconfig: `${root}/tsconfig.json`, logLevel: 'silent' });
      scripts[`/${name}.js`] = bundled.outputFiles[0]!.text;
    }
    site = createServer((req, res) => {
      const page = /^\/(full|default)\.html$/.exec(req.url ?? '');
      if (scripts[req.url ?? '']) res.writeHead(200, { 'content-type': 'text/javascript' }).end(scripts[req.url!]);
      else if (page) res.writeHead(200, { 'content-type': 'text/html' }).end(pageHtml(t.keys.write, t.url, page[1] as 'full' | 'default'));
      else if (req.url === '/favicon.ico') res.writeHead(204).end();
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    // localhost, not 127.0.0.1: the store scrubs an IP address out of every property, the page's URL included.
    origin = `http://localhost:${(site.address() as AddressInfo).port}`;
    t = await startServer({ projects: { shop: { origins: [origin] } } });
    browser = await puppeteer.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    await t?.close();
    site?.closeAllConnections();
    await new Promise((resolve) => site?.close(resolve));
  });

  /** A visitor's page of `build` in a fresh profile, with what it asks of the server and anything that goes wrong on it. */
  async function visit(build: 'full' | 'default') {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    // A person's browser: the server drops what headless Chromium's User-Agent sends, as a bot's.
    await page.setUserAgent((await browser.userAgent()).replace('HeadlessChrome', 'Chrome'));
    const calls: string[] = [];
    const problems: string[] = [];
    page.on('request', (req: HTTPRequest) => {
      if (req.url().startsWith(t.url)) calls.push(`${req.method()} ${new URL(req.url()).pathname}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`${res.status()} ${res.url()}`);
    });
    page.on('requestfailed', (req) => problems.push(`failed ${req.url()}: ${req.failure()?.errorText}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warn') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    await page.goto(`${origin}/${build}.html`);
    await page.waitForFunction(() => document.querySelector('fp-consent')?.hasAttribute('consent'), { timeout: 30_000 });
    const user = (await page.evaluate(() => (window as unknown as { posthog: { get_distinct_id(): string } }).posthog.get_distinct_id())) as string;
    /** The visitor's stored events, oldest first. */
    const events = async (): Promise<{ event: string; properties: Record<string, unknown> }[]> =>
      (await request(`${t.url}/v1/projects/shop/users/${encodeURIComponent(user)}/events`, { headers: { authorization: `Bearer ${t.keys.admin}` } })).body.events.reverse();
    /** Waits until the stored events hold `name`. */
    const until = async (name: string): Promise<void> => {
      const deadline = Date.now() + 30_000;
      while (!(await events()).some((e) => e.event === name) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    };
    const consent = (): Promise<string | null> => page.$eval('fp-consent', (element) => element.getAttribute('consent'));
    /** Event posts made: capture and recordings. */
    const posts = (): string[] => calls.filter((call) => /^POST \/(e|i\/v0\/e|batch|s)\/?$/.test(call));
    return { context, page, calls, problems, events, until, consent, posts };
  }

  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  it('sends nothing before Allow; then page views, clicks (three fast ones a rage click in friction) and an uncaught error ($error), with no console error and no call the server does not answer', async () => {
    const { context, page, calls, problems, events, until, consent, posts } = await visit('full');
    expect(await consent()).to.equal('pending');
    await page.click('#buy');
    await pause(1500);
    expect(posts()).to.deep.equal([]);
    expect(await events()).to.deep.equal([]);

    await (await consentButton(page, 'Allow')).click();
    await page.waitForFunction(() => document.querySelector('fp-consent')!.getAttribute('consent') === 'granted');
    for (let i = 0; i < 3; i++) await page.click('#buy');
    await page.evaluate(() => (window as unknown as { crash(): void }).crash());
    await until('$error');

    const stored = await events();
    const names: Record<string, number> = {};
    for (const { event } of stored) names[event] = (names[event] ?? 0) + 1;
    // posthog-js sends its own $rageclick too; Footprint's friction kind finds the burst in the $click events.
    expect(names).to.deep.equal({ $pageview: 1, $click: 3, $rageclick: 1, $error: 1 });
    expect(stored.filter((e) => e.event === '$pageview').map((e) => [e.properties.path, e.properties.url])).to.deep.equal([['/full.html', `${origin}/full.html`]]);
    expect(stored.filter((e) => e.event === '$click').map((e) => [e.properties.target, e.properties.text])).to.deep.equal(Array(3).fill(['button#buy.primary', 'Buy now']));
    // posthog-js names no mechanism for an uncaught error (`generic`), so no `source`.
    expect(stored.filter((e) => e.event === '$error').map((e) => [e.properties.message, e.properties.type, e.properties.source])).to.deep.equal([['boom at checkout', 'Error', undefined]]);

    const today = new Date().toISOString().slice(0, 10);
    const friction = (await postQuery(t.url, t.keys.read, { kind: 'friction', from: today, to: today })).body;
    expect(friction.rageClicks).to.deep.equal([{ target: 'button#buy.primary', count: 1, users: 1 }]);
    // The remote configuration (JSON: this build loads no scripts), then batches of events only.
    expect([...new Set(calls)]).to.deep.equal([`GET /array/${t.keys.write}/config`, 'POST /e/']);
    expect(problems).to.deep.equal([]);
    await context.close();
  });

  it('sends nothing after Decline, across a reload: posthog-js keeps the choice', async () => {
    const { context, page, problems, events, consent, posts } = await visit('full');
    await (await consentButton(page, 'Decline')).click();
    await page.waitForFunction(() => document.querySelector('fp-consent')!.getAttribute('consent') === 'denied');
    await page.click('#buy');
    await page.reload();
    await page.waitForFunction(() => document.querySelector('fp-consent')?.hasAttribute('consent'), { timeout: 30_000 });
    expect(await consent()).to.equal('denied');
    await page.click('#buy');
    await pause(1500);
    expect(posts()).to.deep.equal([]);
    expect(await events()).to.deep.equal([]);
    expect(problems).to.deep.equal([]);
    await context.close();
  });

  it("runs clean in posthog-js's default build too, which loads its configuration as a script", async () => {
    const { context, page, calls, problems, events, until } = await visit('default');
    await (await consentButton(page, 'Allow')).click();
    await page.click('#buy');
    await until('$click');
    expect((await events()).map((e) => e.event)).to.deep.equal(['$pageview', '$click']);
    expect([...new Set(calls)]).to.deep.equal([`GET /array/${t.keys.write}/config.js`, 'POST /e/']);
    expect(problems).to.deep.equal([]);
    await context.close();
  });
});
