/**
 * Consent to usage recording, as the tracker and the `fp-consent` element
 * share it. Nothing is captured, stored or sent unless the state is
 * `granted`.
 */
export type ConsentState = 'pending' | 'granted' | 'denied';

/** Options of a change of consent. */
export interface ConsentChangeOptions {
  /** With `denied`: also delete what was stored locally (the IndexedDB sink's events, the unsent queue). */
  deleteStored?: boolean;
}

/** Something whose recording follows a person's consent: a tracker, or anything that speaks for one. */
export interface ConsentTarget {
  /** The current state; `pending` until the person chooses (or when a browser signal decided nothing). */
  readonly consent: ConsentState;
  /** Records the person's choice; it persists across reloads. */
  setConsent(state: Exclude<ConsentState, 'pending'>, options?: ConsentChangeOptions): Promise<void>;
  /** Calls `listener` on every change of state; returns a function that stops listening. */
  onConsentChange(listener: (state: ConsentState) => void): () => void;
}
