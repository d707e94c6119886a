/** The files `fp-source` reads: which format a URL, a content type or the first bytes say, and reading a response with progress. */
import type { TextFormat } from '../../shared/index.ts';

/** The file formats `fp-source` reads. */
export type SourceFormat = TextFormat | 'sqlite';
export const SOURCE_FORMATS: readonly SourceFormat[] = ['ndjson', 'json', 'csv', 'sqlite'];

/** The first bytes of every SQLite 3 database file: `SQLite format 3` and a NUL. */
const SQLITE_MAGIC = [83, 81, 76, 105, 116, 101, 32, 102, 111, 114, 109, 97, 116, 32, 51, 0];

export const FORMAT_BY_EXTENSION: Record<string, SourceFormat> = {
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  json: 'json',
  csv: 'csv',
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  db: 'sqlite',
};

export const FORMAT_BY_CONTENT_TYPE: Record<string, SourceFormat> = {
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/x-jsonlines': 'ndjson',
  'application/jsonlines': 'ndjson',
  'application/json': 'json',
  'text/json': 'json',
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/vnd.sqlite3': 'sqlite',
  'application/x-sqlite3': 'sqlite',
  'application/sqlite3': 'sqlite',
};

/** The name a URL is shown by: its file name, else the whole URL (a Blob or data: URL has no name worth showing). */
export function fileName(url: URL): string {
  if (url.protocol === 'blob:') return 'the file';
  if (url.protocol === 'data:') return 'the data: URL';
  const last = url.pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(last) || url.href;
  } catch {
    return last || url.href;
  }
}

/** Reads a whole response body, reporting the bytes received so far. */
export async function readBody(response: Response, onBytes: (bytes: number, total: number | undefined) => void): Promise<Uint8Array> {
  const encoded = (response.headers.get('content-encoding') ?? 'identity').toLowerCase() !== 'identity';
  const length = Number(response.headers.get('content-length'));
  // A compressed response's content-length counts the compressed bytes, not those read here.
  let total = !encoded && Number.isSafeInteger(length) && length >= 0 ? length : undefined;
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onBytes(bytes.byteLength, bytes.byteLength);
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  onBytes(0, total);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    if (total !== undefined && received > total) total = undefined;
    onBytes(received, total);
  }
  if (chunks.length === 1 && chunks[0]!.byteOffset === 0 && chunks[0]!.byteLength === chunks[0]!.buffer.byteLength) return chunks[0]!;
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

export function isSqlite(bytes: Uint8Array): boolean {
  return bytes.byteLength >= SQLITE_MAGIC.length && SQLITE_MAGIC.every((byte, i) => bytes[i] === byte);
}
