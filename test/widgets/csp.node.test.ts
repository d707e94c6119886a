// The widgets bundle under a Content Security Policy with nothing inline:
// no inline script, no <style> element and no style attribute (what the VS
// Code extension's webview allows, and what a careful admin page sets).
// Bars and colours set through the CSSOM (Lit's styleMap, element.style)
// are allowed by such a policy; a style attribute written as text is not.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
// @ts-expect-error: a plain .mjs build script without types; buildWidgets(outDir) bundles the widgets.
import { buildWidgets } from '../../esbuild.config.mjs';
// @ts-expect-error: plain .mjs helpers without types.
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.mjs';
// @ts-expect-error: plain .mjs helpers without types.
import { serveFolder } from '../../scripts/serve.mjs';

/** Nothing inline; sql.js needs to compile its wasm, in the store's worker. */
const POLICY = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:";

const WIDGETS = ['fp-kpi', 'fp-trend', 'fp-sessions', 'fp-stickiness', 'fp-retention', 'fp-lifecycle', 'fp-funnel', 'fp-errors', 'fp-paths', 'fp-adoption', 'fp-friction', 'fp-segments'];

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${POLICY}">
<title>Footprint under a strict CSP</title><link rel="icon" href="data:,">
<script src="watch.js"></script>
<script type="module" src="footprint-widgets.js"></script></head>
<body><fp-source sample-events="3000">
${WIDGETS.map((tag) => `<${tag} ${tag === 'fp-funnel' ? 'steps="signup, onboarding_completed, project_created"' : ''}></${tag}>`).join('\n')}
</fp-source></body></html>`;

/** Records every CSP violation on the page (a file of its own: an inline script would be one). */
const WATCH = `window.violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective + ' ' + (e.blockedURI || e.sample || '') + ' ' + (e.composedPath()[0]?.nodeName ?? '') + ' ' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber));`;

describe('widgets under a strict Content Security Policy', function () {
  this.timeout(180_000);
  let dir: string;
  let server: Server;
  let url: string;
  let browser: Browser;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'footprint-csp-'));
    await buildWidgets(dir);
    writeFileSync(join(dir, 'index.html'), PAGE);
    writeFileSync(join(dir, 'watch.js'), WATCH);
    ({ server, url } = (await serveFolder(dir, 18091)) as { server: Server; url: string });
    browser = await puppeteer.launch({ executablePath: (findChromium() as string | undefined) ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders every widget with no violation, bars sized through the CSSOM', async () => {
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(
      (tags: string[]) => tags.every((tag) => ['ready', 'empty'].includes(document.querySelector(tag)?.getAttribute('status') ?? '')),
      { timeout: 120_000 },
      WIDGETS,
    );
    const states = await page.$$eval(WIDGETS.join(','), (elements) => elements.map((e) => `${e.localName}:${e.getAttribute('status')}`));
    expect(states).to.deep.equal(WIDGETS.map((tag) => `${tag}:ready`));
    // A bar whose length comes from a custom property set by styleMap: blocked as an attribute, it would have none.
    const rates = await page.$eval('fp-adoption', (e) => [...e.shadowRoot!.querySelectorAll<HTMLElement>('.bar > span')].map((bar) => bar.style.getPropertyValue('--rate')));
    expect(rates.length).to.be.greaterThan(0);
    for (const rate of rates) expect(Number(rate)).to.be.within(0, 1);
    // Likewise the segments' stacked bar, each part as wide as its users.
    const users = await page.$eval('fp-segments', (e) => [...e.shadowRoot!.querySelectorAll<HTMLElement>('[part="bar"] > span')].map((part) => getComputedStyle(part).flexGrow));
    expect(users.length).to.be.greaterThan(0);
    for (const grow of users) expect(Number(grow)).to.be.greaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).to.deep.equal([]);
    await page.close();
  });
});
