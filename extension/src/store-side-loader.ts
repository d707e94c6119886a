/**
 * Loads the library's SQLite side (store-side.ts) on first use. The built
 * library replaces this module (esbuild.config.mjs, storeSideFromMedia):
 * there it requires footprint-media/store.cjs from the media folder.
 */
export type StoreSide = typeof import('./store-side.ts');

let loading: Promise<StoreSide> | undefined;

export function loadStoreSide(): Promise<StoreSide> {
  loading ??= import('./store-side.ts');
  return loading;
}
