/**
 * `tsx bench/ingest-memory.ts N`, started by bench/engines/sqljs.ts in a
 * process of its own: the peak growth of resident memory while sql.js
 * ingests the benchmark's N sample events into a fresh store. Prints one
 * JSON line `{ "events": n, "peakMemoryMB": mb, "note"?: text }`.
 *
 * Why a process of its own: the benchmark's process has already run other
 * engines and queries, and wasm memory never shrinks, so its resident size
 * mixes them all. Here the baseline is taken with the events generated and
 * sql.js loaded (an empty store open), after a collection, and the peak is
 * the kernel's high-water mark of resident memory (`maxRSS`), reset at the
 * baseline so that generating the events does not count.
 */
import { writeFileSync } from 'node:fs';
import { generateSampleEvents, openStore } from '../shared/index.ts';
import { DATA_DAYS, DATA_END, DATA_SEED } from './config.ts';

const target = Number(process.argv[2]);
if (!Number.isInteger(target) || target <= 0) throw new Error(`bench/ingest-memory.ts: give the number of events, not ${process.argv[2]}`);
const events = generateSampleEvents({ events: target, seed: DATA_SEED, days: DATA_DAYS, end: DATA_END });
const store = await openStore({ now: () => DATA_END });
(globalThis as { gc?: () => void }).gc?.();
let note: string | undefined;
try {
  // Linux resets the high-water mark that maxRSS reads to the current resident size when 5 is written here.
  writeFileSync('/proc/self/clear_refs', '5');
} catch {
  note = 'no /proc/self/clear_refs: the peak may be that of generating the events';
}
const baseline = process.memoryUsage().rss;
const report = await store.ingest(events);
// maxRSS is in kibibytes.
const peak = process.resourceUsage().maxRSS * 1024;
if (report.accepted !== events.length) throw new Error(`sql.js ingest stored ${report.accepted} of ${events.length} events`);
await store.close();
console.log(JSON.stringify({ events: events.length, peakMemoryMB: Math.round((peak - baseline) / 1e6), ...(note ? { note } : {}) }));
