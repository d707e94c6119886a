/**
 * A VS Code window in miniature, run as its own process by
 * storage.node.test.ts: records `count` events into the storage folder,
 * compacting every `every` events, as windows do. With `crash`, it exits
 * abruptly after the last append, before any compaction of it.
 *
 *   node --import tsx journal-writer.ts <folder> <name> <count> <every> [crash]
 */
import { UsageStorage } from '../../extension/src/storage.ts';

const [folder, name, countText, everyText, mode] = process.argv.slice(2);
const count = Number(countText);
const every = Number(everyText);
const storage = new UsageStorage({ folder: folder!, warn: (m) => console.error(m), compactAfterMs: 0, lockTimeoutMs: 60_000 });
const start = Date.now() - 3_600_000;
for (let i = 0; i < count; i++) {
  storage.record({ event: 'footprint.showDashboard', user_id: 'machine-1', timestamp: start + i * 1000, session_id: name!, uuid: `${name}-${i}`, properties: { command: 'footprint.showDashboard' } });
  // Let the other process interleave its appends with ours.
  if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
  if (mode !== 'crash' && every > 0 && (i + 1) % every === 0) await storage.compact();
}
if (mode === 'crash') process.kill(process.pid, 'SIGKILL');
await storage.dispose();
