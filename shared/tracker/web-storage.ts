/**
 * The tracker's use of Web Storage. Every key starts with the tracker's
 * `storagePrefix`, so a page can list (and a test can check) all of them.
 * Storage can be unusable (disabled cookies make even reading
 * `window.localStorage` throw; a full quota makes `setItem` throw): reads
 * then find nothing, and writes throw an error that says which key failed.
 */

/** The Web Storage keys of one tracker. */
export interface TrackerKeys {
  /** localStorage: the person's choice, `granted` or `denied`. */
  readonly consent: string;
  /** localStorage: the user id events carry (the anonymous one, or the one given to `identify`). */
  readonly userId: string;
  /** sessionStorage: the current session, `{"id":…,"lastActivity":epoch ms}`. */
  readonly session: string;
  /** localStorage: the prefix of an HTTP sink's unsent events, one key per event (`<prefix><uuid>`). */
  queue(name: string): string;
}

/** The keys under `prefix` (the tracker's `storagePrefix`). */
export function trackerKeys(prefix: string): TrackerKeys {
  return {
    consent: `${prefix}.consent`,
    userId: `${prefix}.user-id`,
    session: `${prefix}.session`,
    queue: (name) => `${prefix}.queue.${name}.`,
  };
}

/** `localStorage` or `sessionStorage`, or null where the page may not use it. */
export function webStorage(kind: 'localStorage' | 'sessionStorage'): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window[kind];
  } catch {
    return null;
  }
}

/** The value under `key`, or null (also when storage is unusable). */
export function readItem(storage: Storage | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Stores a value; throws an error naming the key when storage refuses it (full, disabled). */
export function writeItem(storage: Storage | null, key: string, value: string): void {
  if (!storage) throw new Error(`cannot store ${key}: this page may not use Web Storage (are cookies and site data blocked?)`);
  try {
    storage.setItem(key, value);
  } catch (error) {
    throw new Error(`cannot store ${key}: ${(error as Error).message} (is the storage quota full?)`);
  }
}

/** Removes a key; nothing to do when storage is unusable. */
export function removeItem(storage: Storage | null, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    // Unusable storage holds nothing of ours.
  }
}

/** Every key of `storage` that starts with `prefix`. */
export function keysStartingWith(storage: Storage | null, prefix: string): string[] {
  const keys: string[] = [];
  try {
    if (!storage) return keys;
    for (let index = 0; index < storage.length; index++) {
      const key = storage.key(index);
      if (key !== null && key.startsWith(prefix)) keys.push(key);
    }
  } catch {
    // Unusable storage holds nothing of ours.
  }
  return keys;
}
