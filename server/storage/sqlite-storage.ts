import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectSettings } from '../options.ts';
import { openFileStore } from './file-store.ts';
import type { ProjectStorage, ProjectStore } from './project-store.ts';

/** The default storage: one SQLite file per project, `<data>/projects/<name>.sqlite`. */
export function sqliteStorage(dataDir: string, now: () => number): ProjectStorage {
  const folder = join(dataDir, 'projects');
  mkdirSync(folder, { recursive: true });
  return {
    open(project: string, { timezone, weekStart, minGroupSize }: ProjectSettings): Promise<ProjectStore> {
      return openFileStore(join(folder, `${project}.sqlite`), { timezone, weekStart, minGroupSize, now });
    },
    async names(): Promise<string[]> {
      return readdirSync(folder)
        .filter((file) => file.endsWith('.sqlite'))
        .map((file) => file.slice(0, -'.sqlite'.length));
    },
    async close(): Promise<void> {},
  };
}
