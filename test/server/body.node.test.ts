import { expect } from 'chai';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { HttpError } from '../../server/http/http-error.ts';
import { MAX_BODY_BYTES, MAX_DECODED_BYTES, readBody } from '../../server/ingest/body.ts';

interface Answer {
  status: number;
  body: { text?: string; error?: string };
  headers: IncomingHttpHeaders;
  /** True when the answer came before the client had finished sending. */
  beforeEnd: boolean;
}

/**
 * readBody over real HTTP on loopback: a server that answers 200 with the
 * text it read, or the HttpError's status, headers and message.
 */
describe('readBody reads a request body within its limits (server/ingest/body.ts)', () => {
  let server: Server;
  let port: number;

  before(async () => {
    server = createServer((request, response) => {
      // x-test-gzip stands for a caller that knows the body is gzip without Content-Encoding (yes), or looks at its bytes (sniff).
      const gzip = request.headers['x-test-gzip'];
      readBody(request, { gzip: gzip === 'sniff' ? 'sniff' : gzip === 'yes' }).then(
        (text) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text })),
        (error: unknown) => {
          const status = error instanceof HttpError ? error.status : 500;
          const headers = error instanceof HttpError ? error.headers : {};
          response.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify({ error: (error as Error).message }));
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /**
   * POSTs `chunks` one by one (chunked unless `headers` give a length);
   * with `hold`, the request is never ended, so an answer proves the server
   * refused the body before its end.
   */
  function post(chunks: readonly Buffer[], headers: Record<string, string | number> = {}, hold = false): Promise<Answer> {
    return new Promise((resolve, reject) => {
      let ended = false;
      const request = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/', headers, agent: false }, (response) => {
        const parts: Buffer[] = [];
        response.on('data', (part: Buffer) => parts.push(part));
        response.on('end', () => {
          resolve({ status: response.statusCode!, body: JSON.parse(Buffer.concat(parts).toString('utf8')), headers: response.headers, beforeEnd: !ended });
          request.destroy();
        });
      });
      request.on('error', reject);
      request.flushHeaders();
      for (const chunk of chunks) request.write(chunk);
      if (!hold) {
        request.end();
        ended = true;
      }
    });
  }

  it('reads UTF-8 text as sent, with no encoding or identity', async () => {
    const text = '{"event":"café"}\n';
    expect((await post([Buffer.from(text)])).body).to.deep.equal({ text });
    expect((await post([Buffer.from(text)], { 'content-encoding': 'identity' })).body).to.deep.equal({ text });
  });

  it('decodes gzip without Content-Encoding when the caller says the body is gzip', async () => {
    const text = '{"event":"café"}';
    expect((await post([gzipSync(text)], { 'content-type': 'text/plain', 'x-test-gzip': 'yes' })).body).to.deep.equal({ text });
    expect((await post([gzipSync('x')], { 'x-test-gzip': 'yes', 'content-encoding': 'gzip' })).body).to.deep.equal({ text: 'x' });
    expect((await post([Buffer.from(text)], { 'x-test-gzip': 'yes' })).status).to.equal(400);
  });

  it("with 'sniff', decodes a body that starts with gzip's magic bytes (even split after its first byte) and reads any other as it is", async () => {
    const text = '{"event":"café"}';
    const zipped = gzipSync(text);
    expect((await post([zipped], { 'content-type': 'text/plain', 'x-test-gzip': 'sniff' })).body).to.deep.equal({ text });
    expect((await post([zipped.subarray(0, 1), zipped.subarray(1)], { 'x-test-gzip': 'sniff' })).body).to.deep.equal({ text });
    expect((await post([Buffer.from(text)], { 'x-test-gzip': 'sniff' })).body).to.deep.equal({ text });
    expect((await post([Buffer.from('x')], { 'x-test-gzip': 'sniff' })).body).to.deep.equal({ text: 'x' });
    expect((await post([], { 'x-test-gzip': 'sniff' })).body).to.deep.equal({ text: '' });
  });

  it('reads a body of exactly MAX_BODY_BYTES', async () => {
    const answer = await post([Buffer.alloc(MAX_BODY_BYTES, 'a')]);
    expect([answer.status, answer.body.text?.length]).to.deep.equal([200, 1_000_000]);
  });

  it('refuses a Content-Length over 1,000,000 bytes with 413 before reading the body', async () => {
    // Not a byte of the body is sent: the answer can only come from the header.
    const answer = await post([], { 'content-length': MAX_BODY_BYTES + 1 }, true);
    expect([answer.status, answer.body, answer.headers.connection, answer.beforeEnd]).to.deep.equal([
      413,
      { error: 'body over 1,000,000 bytes (the limit of a request body as sent); send smaller batches' },
      'close',
      true,
    ]);
  });

  it('refuses a chunked body as soon as it passes 1,000,000 bytes, without waiting for its end', async () => {
    const chunks = Array.from({ length: 20 }, () => Buffer.alloc(64 * 1024, 'a')); // 1,310,720 bytes, never ended
    const answer = await post(chunks, {}, true);
    expect([answer.status, answer.body.error, answer.beforeEnd]).to.deep.equal([413, 'body over 1,000,000 bytes (the limit of a request body as sent); send smaller batches', true]);
  });

  it('decodes gzip (and x-gzip)', async () => {
    const text = '{"event":"a"}\n{"event":"b"}\n'.repeat(1000);
    const gzip = gzipSync(text);
    expect((await post([gzip], { 'content-encoding': 'gzip' })).body).to.deep.equal({ text });
    expect((await post([gzip.subarray(0, 10), gzip.subarray(10)], { 'content-encoding': 'X-Gzip' })).body).to.deep.equal({ text });
  });

  it('refuses a gzip bomb (900 MiB of zeros in 0.9 MB) with 413 at 10,000,000 decoded bytes, holding no more than that', async () => {
    // Nine gzip members of 100 MiB of zeros each: gunzip reads concatenated members as one body (RFC 1952).
    const member = gzipSync(Buffer.alloc(100 * 1024 * 1024), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 9 }, () => member));
    expect(bomb.length).to.be.below(MAX_BODY_BYTES);
    const rssBefore = process.memoryUsage().rss;
    const answer = await post([bomb], { 'content-encoding': 'gzip' });
    const growth = process.memoryUsage().rss - rssBefore;
    expect([answer.status, answer.body.error]).to.deep.equal([
      413,
      `body over ${MAX_DECODED_BYTES.toLocaleString('en-US')} bytes once gzip is decoded (the limit of a decoded body); send smaller batches`,
    ]);
    expect(answer.body.error).to.contain('10,000,000 bytes');
    expect(growth).to.be.below(100 * 1024 * 1024);
  });

  it('refuses a damaged gzip with 400, naming the fault', async () => {
    const notGzip = await post([Buffer.from('{"event":"a"}\n')], { 'content-encoding': 'gzip' });
    expect([notGzip.status, notGzip.body.error]).to.deep.equal([400, 'body: not valid gzip (incorrect header check)']);
    const cut = gzipSync('{"event":"a"}\n'.repeat(100));
    const truncated = await post([cut.subarray(0, cut.length - 8)], { 'content-encoding': 'gzip' });
    expect([truncated.status, truncated.body.error]).to.deep.equal([400, 'body: not valid gzip (unexpected end of file)']);
  });

  it('refuses an encoding other than gzip or identity with 415, naming it', async () => {
    const answer = await post([Buffer.from('x')], { 'content-encoding': 'br' });
    expect([answer.status, answer.body.error]).to.deep.equal([415, "content-encoding 'br' is not supported; send the body as it is or with gzip"]);
  });

  it('refuses bytes that are not UTF-8 with 400, gzipped or not', async () => {
    const latin1 = Buffer.from('{"event":"caf\xe9"}\n', 'latin1');
    const error = 'body: not UTF-8 text; send events as UTF-8 NDJSON or JSON';
    expect(await post([latin1]).then((a) => [a.status, a.body.error])).to.deep.equal([400, error]);
    expect(await post([gzipSync(latin1)], { 'content-encoding': 'gzip' }).then((a) => [a.status, a.body.error])).to.deep.equal([400, error]);
  });
});
