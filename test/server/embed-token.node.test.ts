import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpecError } from '../../shared/errors.ts';
import { createEmbedToken, verifyEmbedToken } from '../../server/auth/embed-token.ts';
import { readServerSecret } from '../../server/auth/secret.ts';
import { HttpError } from '../../server/http/http-error.ts';
import { rejectionOf } from '../shared/helpers.ts';

const SECRET = 'a-test-secret-of-more-than-32-characters';
const OTHER_SECRET = 'another-secret-of-more-than-32-characters';
/** 2026-12-04 09:00 UTC. */
const NOW = Date.UTC(2026, 11, 4, 9);

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const partsOf = (token: string): [string, string, string] => token.split('.') as [string, string, string];

/** The 401 a verification rejects with, checked to be one. */
async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  const error = await rejectionOf(promise);
  expect(error).to.be.instanceOf(HttpError);
  expect((error as HttpError).status).to.equal(401);
  return error as HttpError;
}

describe('embed tokens (server/auth/embed-token.ts)', () => {
  it('carries the project, kinds, locked where and expiry, and verifies with the secret', async () => {
    const token = await createEmbedToken({ secret: SECRET, project: 'acme-app', ttlSeconds: 3600, kinds: ['trend', 'sessions'], where: { tenant: 'acme' }, now: NOW });
    expect(await verifyEmbedToken(token, SECRET, NOW + 1000)).to.deep.equal({
      project: 'acme-app',
      kinds: ['trend', 'sessions'],
      where: { tenant: 'acme' },
      expires: Date.UTC(2026, 11, 4, 10),
    });
    const [header, payload] = partsOf(token);
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).to.deep.equal({ alg: 'HS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).to.deep.equal({
      fp_kinds: ['trend', 'sessions'],
      fp_where: { tenant: 'acme' },
      sub: 'acme-app',
      iss: 'footprint',
      iat: NOW / 1000,
      exp: NOW / 1000 + 3600,
    });
  });

  it('allows every kind and no lock when none are given', async () => {
    const token = await createEmbedToken({ secret: SECRET, project: 'shop', ttlSeconds: 60, now: NOW });
    expect(await verifyEmbedToken(token, SECRET, NOW)).to.deep.equal({ project: 'shop', kinds: null, where: null, expires: NOW + 60_000 });
  });

  it('is refused once expired, saying when', async () => {
    const token = await createEmbedToken({ secret: SECRET, project: 'shop', ttlSeconds: 3600, now: NOW });
    expect((await verifyEmbedToken(token, SECRET, NOW + 3_599_000)).project).to.equal('shop');
    const error = await refusal(verifyEmbedToken(token, SECRET, NOW + 3_600_000));
    expect(error.message).to.equal('embed token expired at 2026-12-04T10:00:00.000Z');
    expect(error.headers).to.deep.equal({ 'WWW-Authenticate': 'Bearer error="invalid_token"' });
  });

  it('is refused when signed by another secret', async () => {
    const token = await createEmbedToken({ secret: OTHER_SECRET, project: 'shop', ttlSeconds: 60, now: NOW });
    expect((await refusal(verifyEmbedToken(token, SECRET, NOW))).message).to.equal("embed token signature does not match this server's secret");
  });

  it('is refused when its payload is changed (a wider where, another project)', async () => {
    const token = await createEmbedToken({ secret: SECRET, project: 'acme-app', ttlSeconds: 60, where: { tenant: 'acme' }, now: NOW });
    const [header, payload, signature] = partsOf(token);
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    for (const change of [{ fp_where: null }, { fp_where: { tenant: 'globex' } }, { sub: 'other' }, { exp: NOW / 1000 + 10 ** 6 }]) {
      const tampered = `${header}.${b64({ ...claims, ...change })}.${signature}`;
      expect((await refusal(verifyEmbedToken(tampered, SECRET, NOW))).message).to.equal("embed token signature does not match this server's secret");
    }
  });

  it("is refused with alg 'none', and with another HMAC algorithm even when signed with the secret", async () => {
    const claims = { sub: 'shop', iss: 'footprint', iat: NOW / 1000, exp: NOW / 1000 + 60, fp_kinds: null, fp_where: null };
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    expect((await refusal(verifyEmbedToken(none, SECRET, NOW))).message).to.equal("embed token algorithm 'none' is not accepted (HS256 only)");
    const signingInput = `${b64({ alg: 'HS512', typ: 'JWT' })}.${b64(claims)}`;
    const hs512 = `${signingInput}.${createHmac('sha512', SECRET).update(signingInput).digest('base64url')}`;
    expect((await refusal(verifyEmbedToken(hs512, SECRET, NOW))).message).to.equal("embed token algorithm 'HS512' is not accepted (HS256 only)");
  });

  it('is refused when malformed, or signed by the secret without the claims a minted token has', async () => {
    const signed = (header: string, payload: string): string => `${header}.${payload}.${createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url')}`;
    const sign = (claims: Record<string, unknown>): string => signed(b64({ alg: 'HS256' }), b64(claims));
    for (const junk of ['', 'abc', 'a.b.c', 'a.b', signed(b64({ alg: 'HS256' }), Buffer.from('not json').toString('base64url'))]) {
      expect((await refusal(verifyEmbedToken(junk, SECRET, NOW))).message).to.equal('malformed embed token');
    }
    const base = { sub: 'shop', iss: 'footprint', iat: NOW / 1000, exp: NOW / 1000 + 60 };
    expect((await refusal(verifyEmbedToken(sign({ ...base, iss: 'elsewhere' }), SECRET, NOW))).message).to.equal("malformed embed token: claim 'iss' is invalid");
    expect((await refusal(verifyEmbedToken(sign({ ...base, exp: undefined }), SECRET, NOW))).message).to.equal("malformed embed token: claim 'exp' is missing");
    expect((await refusal(verifyEmbedToken(sign({ ...base, sub: '../etc' }), SECRET, NOW))).message).to.equal("malformed embed token: claim 'sub' is not a project name");
    expect((await refusal(verifyEmbedToken(sign({ ...base, fp_kinds: ['everything'] }), SECRET, NOW))).message).to.equal(
      "malformed embed token: kinds[0]: unknown kind 'everything' (known: events, trend, stickiness, sessions, retention, lifecycle, funnel, paths, adoption, errors, friction, segments)",
    );
  });

  it('fails to mint with bad options, naming the field', async () => {
    const ok = { secret: SECRET, project: 'shop', ttlSeconds: 60 };
    const cases: [Record<string, unknown>, string][] = [
      [{ project: 'Shop' }, "project: must be a project name (1 to 63 of a-z, 0-9, _ and -, starting with a letter or digit), got 'Shop'"],
      [{ ttlSeconds: 0 }, "ttlSeconds: must be a whole number of seconds from 1 to 2592000 (30 days), got '0'"],
      [{ ttlSeconds: 1.5 }, "ttlSeconds: must be a whole number of seconds from 1 to 2592000 (30 days), got '1.5'"],
      [{ ttlSeconds: 2_592_001 }, "ttlSeconds: must be a whole number of seconds from 1 to 2592000 (30 days), got '2592001'"],
      [{ kinds: ['trend', 'pathz'] }, "kinds[1]: unknown kind 'pathz' (known: events, trend, stickiness, sessions, retention, lifecycle, funnel, paths, adoption, errors, friction, segments)"],
      [{ kinds: [] }, "kinds: must be a non-empty list of query kinds (events, trend, stickiness, sessions, retention, lifecycle, funnel, paths, adoption, errors, friction, segments), got '[]'"],
      [{ where: { tenant: { op: 'like', value: 'a' } } }, "where.tenant.op: must be one of =, !=, contains, >, <, got 'like'"],
      [{ where: 'tenant=acme' }, "where: must be an object mapping property names to conditions, got 'tenant=acme'"],
      [{ secret: 'short' }, 'secret: must have at least 32 characters'],
    ];
    for (const [change, message] of cases) {
      const error = await rejectionOf(createEmbedToken({ ...ok, ...change } as Parameters<typeof createEmbedToken>[0]));
      expect(error).to.be.instanceOf(SpecError);
      expect(error.message).to.equal(message);
    }
    expect(await createEmbedToken({ ...ok, ttlSeconds: 2_592_000 })).to.be.a('string');
  });
});

describe('the server secret (server/auth/secret.ts)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'footprint-secret-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is made on first use in DATA_DIR/secret (32 random bytes, mode 0600) and read back after', () => {
    const secret = readServerSecret(dir, { env: {} });
    expect(secret).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).to.have.length(32);
    expect(readFileSync(join(dir, 'secret'), 'utf8')).to.equal(`${secret}\n`);
    expect(statSync(join(dir, 'secret')).mode & 0o777).to.equal(0o600);
    expect(readServerSecret(dir, { env: {} })).to.equal(secret);
  });

  it('comes from the option, else FOOTPRINT_SECRET, of at least 32 characters', () => {
    expect(readServerSecret(dir, { secret: SECRET, env: { FOOTPRINT_SECRET: OTHER_SECRET } })).to.equal(SECRET);
    expect(readServerSecret(dir, { env: { FOOTPRINT_SECRET: OTHER_SECRET } })).to.equal(OTHER_SECRET);
    expect(() => readServerSecret(dir, { env: { FOOTPRINT_SECRET: 'short' } })).to.throw(
      'FOOTPRINT_SECRET: must have at least 32 characters, got 5 (make one with: openssl rand -base64 32)',
    );
    expect(() => readServerSecret(dir, { secret: '' })).to.throw('the secret option: must have at least 32 characters, got 0');
  });
});
