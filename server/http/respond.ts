import type { ServerResponse } from 'node:http';

/** Headers every answer carries: answers hold people's usage, so no cache in between keeps them. */
const COMMON_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/** Sends `body` as JSON with `status`. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...COMMON_HEADERS, 'content-type': 'application/json; charset=utf-8', ...headers, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Sends bytes (an export) with `type` and, for a download, its file name. */
export function sendBytes(response: ServerResponse, bytes: Uint8Array, type: string, fileName?: string): void {
  const headers: Record<string, string | number> = { ...COMMON_HEADERS, 'content-type': type, 'content-length': bytes.byteLength };
  if (fileName) headers['content-disposition'] = `attachment; filename="${fileName}"`;
  response.writeHead(200, headers);
  response.end(bytes);
}
