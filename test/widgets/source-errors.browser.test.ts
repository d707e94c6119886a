import { expect } from 'chai';
import { fixture, html } from '@open-wc/testing';
import { unsafeStatic, html as staticHtml } from 'lit/static-html.js';
import '../../widgets/index.ts';
import type { FpSource } from '../../widgets/fp-source/fp-source.ts';
import { settled } from './widget-helpers.ts';

/** Every widget that runs a query, with the attributes it needs. */
const WIDGETS: [tag: string, attributes: string][] = [
  ['fp-kpi', ''],
  ['fp-trend', ''],
  ['fp-stickiness', ''],
  ['fp-sessions', ''],
  ['fp-retention', ''],
  ['fp-lifecycle', ''],
  ['fp-funnel', 'steps="open, save"'],
  ['fp-paths', ''],
  ['fp-adoption', ''],
  ['fp-errors', ''],
  ['fp-friction', ''],
  ['fp-segments', ''],
];

/** A widget inside an fp-source that loads `src` (in the page, to keep the test light). */
async function widgetOn(tag: string, attributes: string, src: string): Promise<HTMLElement> {
  const markup = `<${tag} label="Widget" ${attributes}></${tag}>`;
  const source = await fixture<FpSource>(html`<fp-source worker="off" src=${src}>${staticHtml`${unsafeStatic(markup)}`}</fp-source>`);
  return source.querySelector<HTMLElement>(tag)!;
}

function alertText(element: HTMLElement): string {
  return element.shadowRoot!.querySelector('[role="alert"]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

describe('every widget shows why its source failed', () => {
  for (const [tag, attributes] of WIDGETS) {
    it(`${tag}: a 404 src names the URL and the HTTP status`, async () => {
      const element = await widgetOn(tag, attributes, '/test/widgets/fixtures/missing.ndjson');
      expect(await settled(element)).to.equal('error');
      expect(alertText(element)).to.match(/^Could not show Widget: Could not load missing\.ndjson: HTTP 404 Not Found \(http:\/\/[^)]+\/test\/widgets\/fixtures\/missing\.ndjson\)$/);
    });

    it(`${tag}: a malformed file names the line`, async () => {
      const element = await widgetOn(tag, attributes, '/test/widgets/fixtures/bad.csv');
      expect(await settled(element)).to.equal('error');
      expect(alertText(element)).to.match(/^Could not show Widget: bad\.csv line \d+: /);
    });
  }
});
