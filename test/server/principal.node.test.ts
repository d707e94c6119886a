import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbedToken } from '../../server/auth/embed-token.ts';
import { KeyRing } from '../../server/auth/keys.ts';
import { authenticate, credentialOf, requireAccess, type Need, type Principal } from '../../server/auth/principal.ts';
import { HttpError } from '../../server/http/http-error.ts';
import { rejectionOf } from '../shared/helpers.ts';

const SECRET = 'a-test-secret-of-more-than-32-characters';
const NOW = Date.UTC(2026, 11, 4, 9);

/** The HttpError `run` throws, checked for its status. */
function thrown(run: () => unknown, status: number): HttpError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(HttpError);
    expect((error as HttpError).status).to.equal(status);
    return error as HttpError;
  }
  throw new Error('expected an HttpError');
}

describe('principal (server/auth/principal.ts)', () => {
  let dir: string;
  let keys: KeyRing;
  let ctx: { keys: KeyRing; secret: string };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'footprint-principal-'));
    keys = KeyRing.open(dir);
    ctx = { keys, secret: SECRET };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('credentialOf', () => {
    it('reads Authorization: Bearer, and ?key= for writes only', () => {
      expect(credentialOf({ authorization: 'Bearer fpw_abc' }, '/v1/events', true)).to.equal('fpw_abc');
      expect(credentialOf({ authorization: 'bearer  fpr_abc ' }, '/v1/query', false)).to.equal('fpr_abc');
      expect(credentialOf({}, '/v1/events?key=fpw_abc', true)).to.equal('fpw_abc');
      expect(credentialOf({ authorization: 'Bearer fpw_header' }, '/v1/events?key=fpw_query', true)).to.equal('fpw_header');
      expect(credentialOf({}, '/v1/query', false)).to.equal(null);
      expect(credentialOf({}, '/v1/events?key=', true)).to.equal(null);
    });

    it('refuses ?key= on reads and other Authorization schemes, naming the fix', () => {
      expect(thrown(() => credentialOf({}, '/v1/query?key=fpr_abc', false), 400).message).to.equal(
        'a key in ?key= is accepted for POST /v1/events and POST /v1/erasure only: send Authorization: Bearer <key>',
      );
      expect(thrown(() => credentialOf({ authorization: 'Basic dXNlcjpwYXNz' }, '/v1/query', false), 401).message).to.equal(
        'Authorization must be "Bearer <key>" (or an embed token)',
      );
    });
  });

  describe('authenticate', () => {
    it('says whose key it is', async () => {
      const write = keys.create('shop', 'write');
      const admin = keys.create('shop', 'admin');
      expect(await authenticate(write.key, ctx)).to.deep.equal({ project: 'shop', role: 'write', keyId: write.id, kinds: null, where: null });
      expect(await authenticate(admin.key, ctx)).to.deep.equal({ project: 'shop', role: 'admin', keyId: admin.id, kinds: null, where: null });
    });

    it('gives an embed token its project, kinds and locked where', async () => {
      const token = await createEmbedToken({ secret: SECRET, project: 'shop', ttlSeconds: 60, kinds: ['trend', 'sessions'], where: { tenant: 'acme' }, now: NOW });
      expect(await authenticate(token, ctx, NOW)).to.deep.equal({ project: 'shop', role: 'embed', kinds: ['trend', 'sessions'], where: { tenant: 'acme' } });
    });

    it('refuses a missing, unknown, revoked or unrecognisable credential with 401, never echoing it', async () => {
      const read = keys.create('shop', 'read');
      const cases: [string | null, string][] = [
        [null, 'missing key: send Authorization: Bearer <key>'],
        ['', 'missing key: send Authorization: Bearer <key>'],
        [`fpw_${'x'.repeat(43)}`, 'unknown or revoked write key'],
        ['hello', 'not a Footprint key (fpw_, fpr_, fpa_) or embed token'],
      ];
      keys.revoke(read.id);
      cases.push([read.key, 'unknown or revoked read key']);
      for (const [credential, message] of cases) {
        const error = (await rejectionOf(authenticate(credential, ctx))) as HttpError;
        expect(error).to.be.instanceOf(HttpError);
        expect([error.status, error.message]).to.deep.equal([401, message]);
        if (credential) expect(error.message).not.to.contain(credential);
      }
    });

    it('refuses an expired embed token with 401 saying when', async () => {
      const token = await createEmbedToken({ secret: SECRET, project: 'shop', ttlSeconds: 60, now: NOW });
      const error = (await rejectionOf(authenticate(token, ctx, NOW + 60_000))) as HttpError;
      expect([error.status, error.message]).to.deep.equal([401, 'embed token expired at 2026-12-04T09:01:00.000Z']);
    });
  });

  describe('require', () => {
    const as = (role: Principal['role'], kinds: Principal['kinds'] = null): Principal => ({ project: 'a', role, kinds, where: null });

    it('lets write keys write and erase by secret only, read keys and embed tokens query only, admin keys query and administer', () => {
      const needs: Need[] = ['write', 'erase', 'query', 'admin'];
      const allowed = (role: Principal['role']): Need[] =>
        needs.filter((need) => {
          try {
            requireAccess(as(role), need);
            return true;
          } catch (error) {
            expect(error).to.be.instanceOf(HttpError).with.property('status', 403);
            return false;
          }
        });
      expect(allowed('write')).to.deep.equal(['write', 'erase']);
      expect(allowed('read')).to.deep.equal(['query']);
      expect(allowed('embed')).to.deep.equal(['query']);
      expect(allowed('admin')).to.deep.equal(['query', 'admin']);
    });

    it('names what is not allowed', () => {
      expect(thrown(() => requireAccess(as('write'), 'query'), 403).message).to.equal('a write key cannot read');
      expect(thrown(() => requireAccess(as('read'), 'write'), 403).message).to.equal('a read key cannot write');
      expect(thrown(() => requireAccess(as('admin'), 'write'), 403).message).to.equal('an admin key cannot write');
      expect(thrown(() => requireAccess(as('embed'), 'write'), 403).message).to.equal('an embed token cannot write');
      expect(thrown(() => requireAccess(as('read'), 'admin'), 403).message).to.equal('a read key cannot erase or export a person (an admin key is needed)');
      expect(thrown(() => requireAccess(as('embed'), 'query', 'b'), 403).message).to.equal("this token is for project 'a', not 'b'");
      expect(thrown(() => requireAccess(as('admin'), 'admin', 'b'), 403).message).to.equal("this key is for project 'a', not 'b'");
      expect(thrown(() => requireAccess(as('embed', ['trend', 'sessions']), 'query', 'a', 'paths'), 403).message).to.equal(
        "kind 'paths' is not allowed by this token (allowed: trend, sessions)",
      );
    });

    it('passes the kinds a token allows, and every kind without a list', () => {
      expect(() => requireAccess(as('embed', ['trend', 'sessions']), 'query', 'a', 'sessions')).not.to.throw();
      expect(() => requireAccess(as('embed'), 'query', 'a', 'paths')).not.to.throw();
      expect(() => requireAccess(as('read'), 'query', 'a', 'paths')).not.to.throw();
    });
  });
});
