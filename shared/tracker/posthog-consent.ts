import type { ConsentChangeOptions, ConsentState, ConsentTarget } from './consent.ts';

/** The part of posthog-js's API that `posthogConsent` drives (posthog-js 1.2xx on). */
export interface PostHogConsentApi {
  /** `'granted'`, `'denied'`, or `'pending'` while the person has not chosen (whatever `opt_out_capturing_by_default` makes of that meanwhile). */
  get_explicit_consent_status(): 'granted' | 'denied' | 'pending';
  opt_in_capturing(options?: { captureEventName?: string | null | false }): void;
  opt_out_capturing(): void;
  /** Forgets the ids and properties posthog-js keeps in the browser. */
  reset(): void;
}

/**
 * posthog-js behind `fp-consent`: an object with the interface the element
 * drives, over posthog-js's own opt-in. Initialise posthog-js with
 * `opt_out_capturing_by_default: true` so that nothing is captured or sent
 * before the person allows it, then
 * `document.querySelector('fp-consent').tracker = posthogConsent(posthog)`
 * (exported with the element, from `footprint/widgets/fp-consent`).
 * Allow opts in (without PostHog's `$opt_in` event: consent is not usage);
 * Deny opts out, and with `{ deleteStored: true }` also forgets posthog-js's
 * ids (`posthog.reset()`). posthog-js keeps the choice itself, across
 * reloads. A change made through posthog-js's own API elsewhere shows at
 * the next `setConsent`, not at once: posthog-js tells no one.
 */
export function posthogConsent(posthog: PostHogConsentApi): ConsentTarget {
  const listeners = new Set<(state: ConsentState) => void>();
  const target: ConsentTarget = {
    get consent(): ConsentState {
      return posthog.get_explicit_consent_status();
    },
    async setConsent(state: Exclude<ConsentState, 'pending'>, options: ConsentChangeOptions = {}): Promise<void> {
      const before = target.consent;
      if (state === 'granted') posthog.opt_in_capturing({ captureEventName: false });
      else {
        posthog.opt_out_capturing();
        if (options.deleteStored) posthog.reset();
      }
      const after = target.consent;
      if (after !== before) for (const listener of [...listeners]) listener(after);
    },
    onConsentChange(listener: (state: ConsentState) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return target;
}
