import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, SpecError } from '../../shared/errors.ts';
import { KeyRing } from '../../server/auth/keys.ts';

/** A clock the test moves by hand, starting at 2026-12-04 10:00 UTC. */
function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = Date.UTC(2026, 11, 4, 10);
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('KeyRing (server/auth/keys.ts)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'footprint-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes keys with the role prefix and 32 random bytes, and finds their owner', () => {
    const ring = KeyRing.open(dir);
    const write = ring.create('shop', 'write', 'web');
    const read = ring.create('shop', 'read');
    const admin = ring.create('back-office', 'admin');
    expect(write.key).to.match(/^fpw_[A-Za-z0-9_-]{43}$/);
    expect(read.key).to.match(/^fpr_[A-Za-z0-9_-]{43}$/);
    expect(admin.key).to.match(/^fpa_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(write.key.slice(4), 'base64url')).to.have.length(32);
    expect(new Set([write.id, read.id, admin.id]).size).to.equal(3);
    expect(ring.find(write.key)).to.deep.equal({ id: write.id, project: 'shop', role: 'write' });
    expect(ring.find(read.key)).to.deep.equal({ id: read.id, project: 'shop', role: 'read' });
    expect(ring.find(admin.key)).to.deep.equal({ id: admin.id, project: 'back-office', role: 'admin' });
    expect(ring.find(`${write.key}x`)).to.equal(null);
    expect(ring.find('')).to.equal(null);
  });

  it('stores only SHA-256 hex of each key, in a file of mode 0600', () => {
    const ring = KeyRing.open(dir);
    const { id, key } = ring.create('shop', 'read', 'reports');
    const text = readFileSync(join(dir, 'keys.json'), 'utf8');
    expect(text).not.to.contain(key);
    expect(text).not.to.contain(key.slice(4));
    const file = JSON.parse(text) as { version: number; keys: Record<string, unknown>[] };
    expect(file.version).to.equal(1);
    expect(file.keys).to.have.length(1);
    expect(file.keys[0]).to.include({ id, project: 'shop', role: 'read', label: 'reports', hash: createHash('sha256').update(key).digest('hex') });
    expect(statSync(join(dir, 'keys.json')).mode & 0o777).to.equal(0o600);
  });

  it('lists keys by project without keys or hashes, oldest first', () => {
    const time = clock();
    const ring = KeyRing.open(dir, { now: time.now });
    const a = ring.create('shop', 'write', 'web');
    time.advance(60_000);
    const b = ring.create('blog', 'read');
    time.advance(60_000);
    const c = ring.create('shop', 'admin');
    expect(ring.list('shop')).to.deep.equal([
      { id: a.id, project: 'shop', role: 'write', label: 'web', created: '2026-12-04T10:00:00.000Z' },
      { id: c.id, project: 'shop', role: 'admin', created: '2026-12-04T10:02:00.000Z' },
    ]);
    expect(ring.list().map((k) => k.id)).to.deep.equal([a.id, b.id, c.id]);
    expect(ring.list('none')).to.deep.equal([]);
  });

  it('revokes by id or by the key itself; revoked keys are not found', () => {
    const time = clock();
    const ring = KeyRing.open(dir, { now: time.now });
    const a = ring.create('shop', 'write');
    const b = ring.create('shop', 'read');
    time.advance(5_000);
    expect(ring.revoke(a.id)).to.deep.equal({ id: a.id, project: 'shop', role: 'write', created: '2026-12-04T10:00:00.000Z', revoked: '2026-12-04T10:00:05.000Z' });
    expect(ring.find(a.key)).to.equal(null);
    expect(ring.revoke(b.key).revoked).to.equal('2026-12-04T10:00:05.000Z');
    expect(ring.find(b.key)).to.equal(null);
    time.advance(5_000);
    // Revoking again keeps the first time.
    expect(ring.revoke(a.id).revoked).to.equal('2026-12-04T10:00:05.000Z');
    expect(ring.list().map((k) => k.revoked)).to.deep.equal(['2026-12-04T10:00:05.000Z', '2026-12-04T10:00:05.000Z']);
  });

  it('names an unknown key on revoke, and bad input on create', () => {
    const ring = KeyRing.open(dir);
    expect(() => ring.revoke('abc123')).to.throw(SpecError, "id: no key with id 'abc123' in");
    const secret = `fpr_${'A'.repeat(43)}`;
    expect(() => ring.revoke(secret)).to.throw(SpecError, 'id: no key with the given fpr_ key in').with.property('message').that.does.not.contain(secret);
    expect(() => ring.create('Shop!', 'write')).to.throw(SpecError, "project: must be a project name (1 to 63 of a-z, 0-9, _ and -, starting with a letter or digit), got 'Shop!'");
    expect(() => ring.create('shop', 'owner' as 'write')).to.throw(SpecError, "role: must be one of write, read, admin, got 'owner'");
  });

  it('sees keys another process creates or revokes, rereading the file at most every 200 ms', () => {
    const time = clock();
    const server = KeyRing.open(dir, { now: time.now });
    expect(server.find('fpw_nothing')).to.equal(null);
    const cli = KeyRing.open(dir, { now: time.now });
    const { id, key } = cli.create('shop', 'write');
    time.advance(199);
    expect(server.find(key)).to.equal(null); // not looked at yet
    time.advance(1);
    expect(server.find(key)).to.deep.equal({ id, project: 'shop', role: 'write' });
    KeyRing.open(dir, { now: time.now }).revoke(id);
    time.advance(200);
    expect(server.find(key)).to.equal(null);
  });

  it('keeps keys created by two rings one after another (each rereads before writing)', () => {
    const first = KeyRing.open(dir);
    const second = KeyRing.open(dir);
    const a = first.create('shop', 'write');
    const b = second.create('shop', 'read');
    expect(KeyRing.open(dir).list().map((k) => k.id)).to.deep.equal([a.id, b.id]);
  });

  it('names the file and the problem when keys.json is damaged', () => {
    const file = join(dir, 'keys.json');
    writeFileSync(file, '{"version":1,"keys":[');
    expect(() => KeyRing.open(dir)).to.throw(DataError, `${file}: damaged, not readable JSON`);
    writeFileSync(file, JSON.stringify({ version: 1, keys: [{ id: 'k1', project: 'shop', role: 'owner', hash: 'a'.repeat(64), created: 'x' }] }));
    expect(() => KeyRing.open(dir)).to.throw(DataError, `${file}: damaged, keys[0].role must be one of write, read, admin, got 'owner'`);
    writeFileSync(file, JSON.stringify([]));
    expect(() => KeyRing.open(dir)).to.throw(DataError, `${file}: damaged, expected { "version": 1, "keys": [...] }`);
  });

  it('fails closed when keys.json is damaged under a running server', () => {
    const time = clock();
    const ring = KeyRing.open(dir, { now: time.now });
    const { key } = ring.create('shop', 'write');
    writeFileSync(join(dir, 'keys.json'), 'not json');
    time.advance(200);
    expect(() => ring.find(key)).to.throw(DataError, 'damaged');
  });
});
