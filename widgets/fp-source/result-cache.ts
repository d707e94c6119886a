/** The results a source already gave, by spec, so an unchanged spec is answered without asking the store again. */

/** The key of a spec: its JSON with object keys sorted, so `{ kind, math }` and `{ math, kind }` are one spec. */
export function specKey(spec: unknown): string {
  return JSON.stringify(spec, (_key, value: unknown) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/** A map of at most `capacity` entries that forgets the least recently used one first. */
export class ResultCache<V> {
  // A Map iterates in insertion order: re-inserting on each use keeps the least recently used first.
  private readonly entries = new Map<string, V>();

  constructor(readonly capacity = 100) {}

  /** How many results are kept. */
  get size(): number {
    return this.entries.size;
  }

  /** The result kept under `key`, now the most recently used, or undefined. */
  get(key: string): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key)!;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Keeps `value` under `key`, forgetting the least recently used result when full. */
  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Forgets every result. */
  clear(): void {
    this.entries.clear();
  }
}
