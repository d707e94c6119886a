import type { ConsentState } from './consent.ts';
import { readItem, removeItem, webStorage, writeItem } from './web-storage.ts';

/** A browser's signal that the person does not want to be tracked. */
export type PrivacySignal = 'gpc' | 'dnt';

/**
 * The signal this browser sends, if any: Global Privacy Control
 * (`navigator.globalPrivacyControl === true`), else Do Not Track
 * (`navigator.doNotTrack === '1'`, or the older `window.doNotTrack` and
 * `navigator.msDoNotTrack`).
 */
export function readPrivacySignal(): PrivacySignal | null {
  if (typeof navigator === 'undefined') return null;
  const nav = navigator as Navigator & { globalPrivacyControl?: unknown; msDoNotTrack?: unknown };
  if (nav.globalPrivacyControl === true) return 'gpc';
  const dnt = [nav.doNotTrack, (globalThis as { doNotTrack?: unknown }).doNotTrack, nav.msDoNotTrack];
  return dnt.some((value) => value === '1' || value === 'yes') ? 'dnt' : null;
}

/** The person's choice as stored: only the two choices count, anything else is no choice. */
function storedChoice(value: string | null): Exclude<ConsentState, 'pending'> | null {
  return value === 'granted' || value === 'denied' ? value : null;
}

/**
 * The consent choice, persisted in localStorage under one key, with the
 * browser's privacy signal on top: while a signal is honoured the state is
 * `denied` whatever was stored (the stored choice is kept, and applies again
 * if the signal goes). Reading never writes: a page that never asks leaves
 * nothing behind.
 */
export class ConsentStore {
  /** The signal that decides the state, or null (none sent, or not honoured). */
  readonly signal: PrivacySignal | null;

  constructor(
    private readonly key: string,
    honourSignals: boolean,
  ) {
    this.signal = honourSignals ? readPrivacySignal() : null;
  }

  /** The state now: `denied` under a signal, else the stored choice, else `pending`. */
  read(): ConsentState {
    if (this.signal) return 'denied';
    return storedChoice(readItem(webStorage('localStorage'), this.key)) ?? 'pending';
  }

  /** Stores the person's choice; throws (naming the key) when localStorage refuses it. */
  write(state: Exclude<ConsentState, 'pending'>): void {
    writeItem(webStorage('localStorage'), this.key, state);
  }

  /** Forgets the choice, so the state is `pending` again (for tests and "reset" screens). */
  clear(): void {
    removeItem(webStorage('localStorage'), this.key);
  }

  /**
   * Calls `listener` with the new state when another tab of the site changes
   * the stored choice (the `storage` event fires only in the other tabs), so
   * revoking in one tab stops recording in all. Returns a function that stops
   * listening.
   */
  watch(listener: (state: ConsentState) => void): () => void {
    if (typeof window === 'undefined') return () => undefined;
    const onStorage = (event: StorageEvent): void => {
      // key null: the other tab called localStorage.clear().
      if (event.key === this.key || event.key === null) listener(this.read());
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }
}
