// The tracker's autocapture in Chromium: page views (single-page-app history
// changes included), clicks with a descriptor that never holds an input's
// value nor anything under data-fp-no-capture, and uncaught errors and
// unhandled rejections with scrubbed stacks.
import { expect } from 'chai';
import { createTracker, openStore, storeSink, type AutocaptureOptions, type Tracker } from '../../shared/index.ts';
import { clearStorage, ISOLATED_PREFIX, pause, RecordingSink, TrackerPool, waitFor } from './tracker-helpers.ts';

const PREFIX = `${ISOLATED_PREFIX}autocapture`;

/** A page of things people click, some of which hold what they typed. */
const FIXTURE = `
  <button id="save" class="btn primary">  Save
    changes <svg width="8" height="8"><circle cx="4" cy="4" r="4"></circle></svg></button>
  <a href="#nowhere" class="nav"><span class="icon">&gt;</span> Quarterly revenue report for the whole team and more</a>
  <input id="email" class="field" type="text" value="ann@example.com">
  <input id="send" type="submit" value="Send to ann@example.com">
  <textarea id="notes">secret notes</textarea>
  <label id="name-label">Name <input value="Ann Lee"></label>
  <div data-fp-no-capture><button id="pay" class="pay">Pay 1,234.00</button></div>
  <button id="balance">Balance <span data-fp-no-capture>1,234.00</span></button>
  <div id="editor" contenteditable="true"><p id="typed">typed words</p></div>
  <fp-test-shadow-host id="host"></fp-test-shadow-host>
`;

/** Dispatches a click at (x, y) in the viewport, as a person's click would arrive. */
function clickOn(element: Element, x = 12, y = 34): void {
  element.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true, clientX: x, clientY: y }));
}

describe('tracker autocapture', () => {
  const pool = new TrackerPool();
  const originalUrl = location.href;
  const originalTitle = document.title;
  let container: HTMLElement;
  let recording: RecordingSink;

  /** A granted tracker recording into `recording`. */
  function tracker(autocapture: boolean | AutocaptureOptions = true): Tracker {
    localStorage.setItem(`${PREFIX}.consent`, 'granted');
    return pool.add(createTracker({ sinks: [recording], autocapture, storagePrefix: PREFIX }));
  }

  /** The properties of the recorded events named `event`. */
  function recorded(event: string): Record<string, unknown>[] {
    return recording.events.filter((e) => e.event === event).map((e) => e.properties);
  }

  before(() => {
    if (!customElements.get('fp-test-shadow-host')) {
      customElements.define(
        'fp-test-shadow-host',
        class extends HTMLElement {
          constructor() {
            super();
            this.attachShadow({ mode: 'open' }).innerHTML = '<button id="inner" class="in-shadow"><b>Open</b></button><div data-fp-no-capture><button id="hidden">Hidden</button></div>';
          }
        },
      );
    }
  });

  beforeEach(() => {
    clearStorage(PREFIX);
    document.title = 'Autocapture test';
    container = document.createElement('div');
    container.innerHTML = FIXTURE;
    document.body.append(container);
    recording = new RecordingSink();
  });

  afterEach(async () => {
    await pool.shutdownAll();
    container.remove();
    history.replaceState(null, '', originalUrl);
    document.title = originalTitle;
    clearStorage(PREFIX);
  });

  describe('page views', () => {
    it('records one when recording starts, without query string or fragment', () => {
      history.replaceState(null, '', '/tracker-page?token=abc123#section');
      tracker();
      expect(recorded('$pageview')).to.deep.equal([{ path: '/tracker-page', url: `${location.origin}/tracker-page`, title: 'Autocapture test' }]);
    });

    it('records route changes of a single-page app: pushState, replaceState and back', async () => {
      history.replaceState(null, '', '/app/home');
      tracker();
      history.pushState(null, '', '/app/reports?id=42');
      await pause(10);
      history.pushState(null, '', '/app/reports?id=43'); // only the query changes: the same page
      await pause(10);
      history.replaceState(null, '', '/app/settings');
      await pause(10);
      history.back(); // to /app/reports?id=42 (the replace took the ?id=43 entry's place)
      await waitFor('the page view of the back navigation', () => recorded('$pageview').length === 4);
      const origin = location.origin;
      expect(recorded('$pageview')).to.deep.equal([
        { path: '/app/home', url: `${origin}/app/home`, title: 'Autocapture test' },
        { path: '/app/reports', url: `${origin}/app/reports`, title: 'Autocapture test', referrer: `${origin}/app/home` },
        { path: '/app/settings', url: `${origin}/app/settings`, title: 'Autocapture test', referrer: `${origin}/app/reports` },
        { path: '/app/reports', url: `${origin}/app/reports`, title: 'Autocapture test', referrer: `${origin}/app/settings` },
      ]);
    });

    it('records a redirect (push, then replace at once) as the one page it ends on, with its new title', async () => {
      history.replaceState(null, '', '/app/home');
      tracker();
      history.pushState(null, '', '/app/old');
      history.replaceState(null, '', '/app/new');
      document.title = 'New page';
      await pause(10);
      expect(recorded('$pageview').map((p) => [p.path, p.title])).to.deep.equal([
        ['/app/home', 'Autocapture test'],
        ['/app/new', 'New page'],
      ]);
    });

    it('can be switched off alone, and gives history back when the tracker stops', async () => {
      const target = tracker({ pageviews: false });
      history.pushState(null, '', '/app/elsewhere');
      await pause(10);
      clickOn(container.querySelector('#save')!);
      expect(recording.names()).to.deep.equal(['$click']);
      await target.shutdown();
      expect(history.pushState).to.equal(History.prototype.pushState);
      expect(history.replaceState).to.equal(History.prototype.replaceState);
    });
  });

  describe('clicks', () => {
    it('describes the element clicked: tag, id, classes, text up to 40 characters, x and y', () => {
      tracker({ pageviews: false });
      clickOn(container.querySelector('#save circle')!, 12, 34);
      clickOn(container.querySelector('a.nav .icon')!, 100, 7);
      const path = location.pathname;
      expect(recorded('$click')).to.deep.equal([
        { target: 'button#save.btn.primary', tag: 'button', id: 'save', classes: ['btn', 'primary'], text: 'Save changes', x: 12, y: 34, path },
        { target: 'a.nav', tag: 'a', classes: ['nav'], text: '> Quarterly revenue report for the whole', x: 100, y: 7, path },
      ]);
    });

    it('never records the value of an input, a textarea, or editable text', () => {
      tracker({ pageviews: false });
      for (const selector of ['#email', '#send', '#notes', '#name-label', '#typed']) clickOn(container.querySelector(selector)!);
      expect(recorded('$click').map(({ target, text }) => ({ target, text }))).to.deep.equal([
        { target: 'input#email.field', text: undefined },
        { target: 'input#send', text: undefined },
        { target: 'textarea#notes', text: undefined },
        { target: 'label#name-label', text: 'Name' },
        { target: 'input', text: undefined }, // a click on a label clicks its input too
        { target: 'p#typed', text: undefined },
      ]);
      const everything = JSON.stringify(recording.events);
      for (const typed of ['ann@example.com', 'Send to', 'secret notes', 'Ann Lee', 'typed words']) expect(everything).not.to.include(typed);
    });

    it('records nothing inside data-fp-no-capture, and leaves its text out of a click around it', () => {
      tracker({ pageviews: false });
      clickOn(container.querySelector('#pay')!);
      clickOn(container.querySelector('#host')!.shadowRoot!.querySelector('#hidden')!);
      expect(recording.events).to.deep.equal([]);
      clickOn(container.querySelector('#balance')!);
      expect(recorded('$click').map(({ target, text }) => ({ target, text }))).to.deep.equal([{ target: 'button#balance', text: 'Balance' }]);
      expect(JSON.stringify(recording.events)).not.to.include('1,234.00');
    });

    it('sees clicks inside shadow roots, and clicks the page stops from propagating', () => {
      tracker({ pageviews: false });
      clickOn(container.querySelector('#host')!.shadowRoot!.querySelector('#inner b')!);
      const save = container.querySelector('#save')!;
      save.addEventListener('click', (event) => event.stopPropagation(), { once: true });
      clickOn(save);
      expect(recorded('$click').map(({ target, text }) => ({ target, text }))).to.deep.equal([
        { target: 'button#inner.in-shadow', text: 'Open' },
        { target: 'button#save.btn.primary', text: 'Save changes' },
      ]);
    });

    it('gives the friction metric the target it groups rage clicks by', async () => {
      const store = await openStore();
      localStorage.setItem(`${PREFIX}.consent`, 'granted');
      const target = pool.add(createTracker({ sinks: [storeSink(store)], autocapture: { pageviews: false }, storagePrefix: PREFIX }));
      for (let i = 0; i < 3; i++) clickOn(container.querySelector('#save')!);
      await target.flush();
      const result = await store.query({ kind: 'friction' });
      expect(result.rageClicks).to.deep.equal([{ target: 'button#save.btn.primary', count: 1, users: 1 }]);
      await store.close();
    });
  });

  describe('errors', () => {
    const mochaOnError = window.onerror;
    const consoleError = console.error;
    // Mocha fails a test on any uncaught error, and the runner logs each one: these tests throw on purpose.
    beforeEach(() => {
      window.onerror = null;
      console.error = () => undefined;
    });
    afterEach(() => {
      window.onerror = mochaOnError;
      console.error = consoleError;
    });

    it('records an uncaught error with its message, type and a scrubbed stack', async () => {
      tracker({ pageviews: false });
      const error = new TypeError('Cannot load report 42 for ann@example.com');
      error.stack = [
        'TypeError: Cannot load report 42 for ann@example.com',
        '    at loadReport (https://app.example.com/assets/app.js?v=3&token=abc123:10:5)',
        '    at https://app.example.com/assets/vendor.js#chunk:2:7',
        '    at main (/home/ann/project/src/main.js?x=1:3:9)',
      ].join('\n');
      setTimeout(() => {
        throw error;
      });
      await waitFor('the $error', () => recorded('$error').length === 1);
      expect(recorded('$error')).to.deep.equal([
        {
          message: 'Cannot load report 42 for <email>',
          type: 'TypeError',
          stack: [
            'TypeError: Cannot load report 42 for <email>',
            '    at loadReport (https://app.example.com/assets/app.js:10:5)',
            '    at https://app.example.com/assets/vendor.js:2:7',
            '    at main (<path>)',
          ].join('\n'),
          source: 'error',
          path: location.pathname,
        },
      ]);
    });

    it('records unhandled rejections, with an error or any other reason', async () => {
      tracker({ pageviews: false });
      const error = new RangeError('Too many series: 400');
      error.stack = 'RangeError: Too many series: 400\n    at draw (http://localhost/chart.js?session=s3cr3t:1:2)';
      void Promise.reject(error);
      void Promise.reject('quota exceeded for 10.0.0.7');
      await waitFor('two $error events', () => recorded('$error').length === 2);
      expect(recorded('$error')).to.deep.equal([
        { message: 'Too many series: 400', type: 'RangeError', stack: 'RangeError: Too many series: 400\n    at draw (http://localhost/chart.js:1:2)', source: 'unhandledrejection', path: location.pathname },
        { message: 'quota exceeded for <ip>', type: 'UnhandledRejection', source: 'unhandledrejection', path: location.pathname },
      ]);
    });

    it('ignores failed loads of images and scripts, and records nothing when switched off', async () => {
      tracker({ pageviews: false, clicks: false });
      const image = document.createElement('img');
      const failed = new Promise((resolve) => image.addEventListener('error', resolve));
      image.src = '/no-such-image.png';
      container.append(image);
      await failed;
      await pause(10);
      expect(recording.events).to.deep.equal([]);

      await pool.shutdownAll();
      recording = new RecordingSink();
      tracker({ errors: false, pageviews: false });
      setTimeout(() => {
        throw new Error('not recorded');
      });
      await pause(20);
      expect(recording.names()).to.deep.equal([]);
    });
  });
});
