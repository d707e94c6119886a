// posthogConsent over a stand-in for posthog-js's consent API: what each
// choice calls, and who hears of it. (The real posthog-js behind fp-consent
// runs in Chromium in test/server/posthog-js.node.test.ts.)
import { expect } from 'chai';
import { posthogConsent, type PostHogConsentApi } from '../../shared/tracker/posthog-consent.ts';

/** posthog-js's consent as far as the adapter sees it, with the calls it got. */
function fakePostHog(): PostHogConsentApi & { calls: string[] } {
  let status: 'granted' | 'denied' | 'pending' = 'pending';
  const calls: string[] = [];
  return {
    calls,
    get_explicit_consent_status: () => status,
    opt_in_capturing: (options) => {
      calls.push(`opt_in ${JSON.stringify(options)}`);
      status = 'granted';
    },
    opt_out_capturing: () => {
      calls.push('opt_out');
      status = 'denied';
    },
    reset: () => calls.push('reset'),
  };
}

describe('posthogConsent puts posthog-js behind fp-consent (shared/tracker/posthog-consent.ts)', () => {
  it("follows posthog-js's own state, opts in without an $opt_in event, opts out, and forgets ids only when asked", async () => {
    const posthog = fakePostHog();
    const target = posthogConsent(posthog);
    const heard: string[] = [];
    target.onConsentChange((state) => heard.push(state));
    expect(target.consent).to.equal('pending');
    await target.setConsent('granted');
    await target.setConsent('granted'); // no change: no one is told again
    await target.setConsent('denied');
    await target.setConsent('granted');
    await target.setConsent('denied', { deleteStored: true });
    expect(posthog.calls).to.deep.equal(['opt_in {"captureEventName":false}', 'opt_in {"captureEventName":false}', 'opt_out', 'opt_in {"captureEventName":false}', 'opt_out', 'reset']);
    expect(heard).to.deep.equal(['granted', 'denied', 'granted', 'denied']);
    expect(target.consent).to.equal('denied');
  });

  it('stops telling a listener once it unsubscribes', async () => {
    const target = posthogConsent(fakePostHog());
    const heard: string[] = [];
    const stop = target.onConsentChange((state) => heard.push(state));
    await target.setConsent('granted');
    stop();
    await target.setConsent('denied');
    expect(heard).to.deep.equal(['granted']);
  });
});
