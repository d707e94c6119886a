/**
 * The VS Code library's part of the results (`--vscode`, bench/vscode.ts):
 * its figures, its table and its targets. Kept apart from bench/report.ts,
 * as the server's are, so that a test checks them on hand-made figures.
 */
import { VSCODE_TARGETS } from './config.ts';
import { median } from './timing.ts';

/** The median and the slowest of fresh-process timings, in ms. */
export interface Spread {
  median: number;
  max: number;
}

/** What `--vscode` measured, as bench/results.json keeps it. */
export interface VscodeFigures {
  /** Where it ran: its own machine line, as it may run apart from the rest. */
  run: { date: string; cpu: string; cores: number; node: string; esbuild: string; loadAverage: number };
  /** A minimal extension bundled by the README's esbuild line, without and with createUsageRecorder, in bytes. */
  bundle: { withoutBytes: number; withBytes: number; withoutGzipped: number; withGzipped: number; sqlJsInside: string[] };
  /** Fresh Node processes, ms from before `require` to after the call that activates. */
  activation: {
    runs: number;
    /** `require` of the built library (dist/vscode/index.cjs) and `createUsageRecorder(context)`. */
    library: Spread;
    /** The author's two bundles: `require` and `activate(context)`. */
    withLibrary: Spread;
    without: Spread;
    /** sql.js files a process read or required while activating (none is the design). */
    sqlJsLoaded: string[];
  };
  /** µs per `usage.track`, one figure per recording process; the two kinds alternate. */
  recording: { events: number; journalUs: number[]; sharingUs: number[] };
  /** One compaction of a new journal into the stored events, in a process of its own. */
  compaction: { storedEvents: number; journalEvents: number; storeBytes: number; ms: number; secondMs: number; rssAddedMb: number; heapAddedMb: number; retainedMb: number };
}

/** A target of the library, checked (the shape of report.ts's TargetCheck). */
export interface VscodeTargetCheck {
  target: string;
  met: boolean;
  actual: string;
  why?: string;
}

const number = (value: number, digits = 0): string => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const kb = (bytes: number): string => `${number(bytes / 1000, 1)} KB`;
const spread = (s: Spread): string => `${number(s.median, 1)} ms (slowest ${number(s.max, 1)})`;

/** The bytes the library adds to the author's bundle, minified and gzipped. */
export function bundleAdded(f: VscodeFigures): { bytes: number; gzipped: number } {
  return { bytes: f.bundle.withBytes - f.bundle.withoutBytes, gzipped: f.bundle.withGzipped - f.bundle.withoutGzipped };
}

/** The library's table in markdown, under its own machine line. */
export function vscodeTable(f: VscodeFigures | undefined): string {
  if (!f) return '';
  const added = bundleAdded(f);
  const { activation: a, recording: r, compaction: c } = f;
  const rounds = r.journalUs.length;
  const out = ['', '### VS Code library (`--vscode`)', ''];
  out.push(`Run ${f.run.date} on ${f.run.cpu}, ${f.run.cores} cores, Node ${f.run.node}, esbuild ${f.run.esbuild}, load average ${number(f.run.loadAverage, 1)} at its start; ` +
    'the library as `npm run build` makes it (dist/vscode/), `vscode` answered by a stand-in whose telemetry logger calls the sender at once, as VS Code\'s does; both consents granted, level `all`.', '');
  out.push('| what it costs | figure | target | how |', '|---|---:|---:|---|');
  out.push(`| bundle | ${kb(added.bytes)} (${kb(added.gzipped)} gzipped) | at most ${VSCODE_TARGETS.bundleKb} KB | a minimal extension (one command) bundled by the README's line (esbuild \`--bundle --minify --format=cjs --platform=node --external:vscode\`) with and without \`createUsageRecorder\`: ${kb(f.bundle.withBytes)} against ${kb(f.bundle.withoutBytes)}; sql.js and its wasm inside: ${f.bundle.sqlJsInside.length ? f.bundle.sqlJsInside.join(', ') : 'neither'} |`);
  out.push(`| activation | ${spread(a.library)} | under ${VSCODE_TARGETS.activationMs} ms | \`require\` of dist/vscode/index.cjs and \`createUsageRecorder(context)\` (a fresh storage folder: the installation made, \`session.start\` journaled), in ${a.runs} fresh Node processes; sql.js read or required: ${a.sqlJsLoaded.length ? a.sqlJsLoaded.join(', ') : 'never'} |`);
  out.push(`| activation, the author's bundle | ${number(a.withLibrary.median - a.without.median, 1)} ms added | | \`require\` and \`activate(context)\` of the two bundles above, alternating in fresh processes: ${spread(a.withLibrary)} with, ${spread(a.without)} without |`);
  out.push(`| recording | ${number(median(r.journalUs), 1)} µs an event | under ${VSCODE_TARGETS.recordUs} µs | \`usage.track(name, properties)\` ${number(r.events)} times after 1,000 untimed, sharing off (an append to the journal); median of ${rounds} processes (${r.journalUs.map((us) => number(us, 1)).join(', ')}) |`);
  out.push(`| recording, sharing | ${number(median(r.sharingUs), 1)} µs an event | under ${VSCODE_TARGETS.recordUs} µs | the same with sharing on (the journal and the outbox), processes alternating with the above (${r.sharingUs.map((us) => number(us, 1)).join(', ')}) |`);
  out.push(`| compaction | ${number(c.ms)} ms | | ${number(c.journalEvents)} new events into ${number(c.storedEvents)} stored (footprint.sqlite, ${number(c.storeBytes / 1e6, 1)} MB), the window's first: sql.js loaded then; a second one ${number(c.secondMs)} ms |`);
  out.push(`| compaction memory | ${number(c.rssAddedMb)} MB resident, ${number(c.heapAddedMb)} MB heap | | the first compaction above, in a process of its own: the peak resident size (the kernel's high-water mark, reset before) and the JavaScript heap's sampled peak, over a baseline after a collection; ${number(c.retainedMb)} MB resident stay after it |`);
  return out.join('\n');
}

/**
 * The library's targets. `why` gives, by key (`vscode bundle`, `vscode
 * sql.js`, `vscode activation`, `vscode recording`), why a missed one is
 * missed (bench/why-missed.ts).
 */
export function checkVscodeTargets(f: VscodeFigures | undefined, why: Readonly<Record<string, string>>): VscodeTargetCheck[] {
  if (!f) return [];
  const checks: VscodeTargetCheck[] = [];
  const check = (key: string, target: string, met: boolean, actual: string): void => {
    checks.push({ target, met, actual, ...(met ? {} : { why: why[key] ?? 'not analysed' }) });
  };
  const added = bundleAdded(f);
  check('vscode bundle', `footprint/vscode adds at most ${VSCODE_TARGETS.bundleKb} KB to an author's minified bundle`, added.bytes <= VSCODE_TARGETS.bundleKb * 1000, `${kb(added.bytes)}, ${kb(added.gzipped)} gzipped`);
  const loaded = [...f.bundle.sqlJsInside.map((what) => `${what} in the bundle`), ...f.activation.sqlJsLoaded.map((file) => `${file} loaded at activation`)];
  check('vscode sql.js', "sql.js and its wasm neither in the author's bundle nor loaded at activation", loaded.length === 0, loaded.length ? loaded.join('; ') : 'neither');
  check('vscode activation', `activation adds under ${VSCODE_TARGETS.activationMs} ms (require and createUsageRecorder, median of ${f.activation.runs} fresh processes)`,
    f.activation.library.median < VSCODE_TARGETS.activationMs, `${spread(f.activation.library)}`);
  const journal = median(f.recording.journalUs);
  const sharing = median(f.recording.sharingUs);
  check('vscode recording', `recording an event costs under ${VSCODE_TARGETS.recordUs} µs on the extension host's thread, sharing off and on`,
    journal < VSCODE_TARGETS.recordUs && sharing < VSCODE_TARGETS.recordUs, `${number(journal, 1)} µs (the journal), ${number(sharing, 1)} µs (the journal and the outbox)`);
  return checks;
}
