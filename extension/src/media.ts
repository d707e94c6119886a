/**
 * The library's media folder, `footprint-media/`: its SQLite side
 * (store.cjs, store-side.ts built), sql.js and its wasm, and the dashboard's
 * webview bundle. They stay out of the author's bundle (loaded from here only
 * when journals are compacted or the dashboard opens), and sit beside the
 * library's code: in the package, dist/vscode/footprint-media; in an
 * author's bundled extension, the folder the README has them copy beside
 * the bundle.
 */
import { join } from 'node:path';

export const MEDIA_FOLDER = 'footprint-media';

let folder: string | undefined;

/** The media folder beside the running code (CommonJS `__dirname`), unless set. */
export function mediaFolder(): string {
  folder ??= join(typeof __dirname === 'string' ? __dirname : process.cwd(), MEDIA_FOLDER);
  return folder;
}

/** Points the library at another media folder (the `media` option). */
export function setMediaFolder(path: string): void {
  folder = path;
}
