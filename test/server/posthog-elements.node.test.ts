import { expect } from 'chai';
import { clickTargetOf, parseElementsChain, readElementsArray } from '../../server/compat/posthog/elements.ts';

describe("PostHog's autocapture elements as the tracker's click target (server/compat/posthog/elements.ts)", () => {
  it('parses an elements_chain: tag, classes (a colon in one included), attributes with escaped quotes and semicolons, text', () => {
    const chain = 'a.nav.sm:hidden:attr__href="/a;b"href="/a;b"nth-child="1"nth-of-type="1"text="Say \\"hi\\"";li:nth-child="3"nth-of-type="3"';
    expect(parseElementsChain(chain)).to.deep.equal([
      { tag: 'a', classes: ['nav', 'sm:hidden'], attributes: { attr__href: '/a;b', href: '/a;b', 'nth-child': '1', 'nth-of-type': '1' }, text: 'Say "hi"' },
      { tag: 'li', classes: [], attributes: { 'nth-child': '3', 'nth-of-type': '3' } },
    ]);
  });

  it('names the nearest actionable element from the one clicked outwards, as the tracker does', () => {
    const icon = 'svg.icon:nth-child="1"nth-of-type="1";button.primary:attr__id="save"nth-child="1"nth-of-type="1"text="Save";form:nth-child="1"nth-of-type="1";body:nth-child="1"nth-of-type="1"';
    expect(clickTargetOf(parseElementsChain(icon))).to.deep.equal({ target: 'button#save.primary', tag: 'button', id: 'save', classes: ['primary'], text: 'Save' });
    const role = 'span:nth-child="1"nth-of-type="1";div.tab:attr__role="tab"nth-child="2"nth-of-type="2"';
    expect(clickTargetOf(parseElementsChain(role))!.target).to.equal('div.tab');
    // No actionable element before body: the element clicked.
    const plain = 'p.note:nth-child="1"nth-of-type="1"text="  Some   text  ";body:nth-child="1"nth-of-type="1";button:nth-child="1"nth-of-type="1"';
    expect(clickTargetOf(parseElementsChain(plain))).to.deep.equal({ target: 'p.note', tag: 'p', classes: ['note'], text: 'Some text' });
    // A link is actionable only with an href.
    expect(clickTargetOf(parseElementsChain('a:nth-child="1"nth-of-type="1";nav:nth-child="1"nth-of-type="1"'))!.target).to.equal('a');
  });

  it('reads the $elements array old SDKs send, and keeps 10 classes and 40 characters of text', () => {
    const classes = Array.from({ length: 12 }, (_, i) => `c${i}`);
    const elements = readElementsArray([{ tag_name: 'button', attr__class: classes.join(' '), attr__id: 'go', $el_text: 'x'.repeat(50), nth_child: 1 }, 'junk', null]);
    expect(clickTargetOf(elements)).to.deep.equal({ target: `button#go${classes.slice(0, 10).map((c) => `.${c}`).join('')}`, tag: 'button', id: 'go', classes: classes.slice(0, 10), text: 'x'.repeat(40) });
    expect(clickTargetOf([])).to.equal(null);
  });
});
