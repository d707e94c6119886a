import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyEmbedToken } from '../../server/auth/embed-token.ts';
import { KeyRing } from '../../server/auth/keys.ts';
import { readServerSecret } from '../../server/auth/secret.ts';
import { keysCommand } from '../../server/cli/keys-command.ts';
import { tokenCommand } from '../../server/cli/token-command.ts';
import { rejectionOf } from '../shared/helpers.ts';

/** The lines a command prints. */
async function output(run: (print: (line: string) => void) => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  await run((line) => lines.push(line));
  return lines;
}

const NO_ENV = {};

describe('footprint keys and token (server/cli)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'footprint-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keys create prints the new key alone on its last line, and a server finds it', async () => {
    const lines = await output((print) => keysCommand(['create', '--data', dir, '--project', 'shop', '--role', 'write', '--label', 'web'], print));
    expect(lines).to.have.length(2);
    const key = lines[1]!;
    expect(key).to.match(/^fpw_[A-Za-z0-9_-]{43}$/);
    const owner = KeyRing.open(dir).find(key)!;
    expect(owner).to.include({ project: 'shop', role: 'write' });
    expect(lines[0]).to.equal(`Created write key ${owner.id} for project 'shop' (public: for POST /v1/events):`);
  });

  it('keys list prints one key per line (id, project, role, label, created, revoked) and keys revoke revokes it', async () => {
    const [, writeKey] = await output((print) => keysCommand(['create', '--data', dir, '--project', 'shop', '--role', 'write', '--label', 'web'], print));
    await output((print) => keysCommand(['create', '--data', dir, '--project', 'blog', '--role', 'read'], print));
    const ring = KeyRing.open(dir);
    const [shop, blog] = ring.list();
    const listed = await output((print) => keysCommand(['list', '--data', dir], print));
    expect(listed).to.deep.equal([`${shop!.id}\tshop\twrite\tweb\t${shop!.created}\t-`, `${blog!.id}\tblog\tread\t-\t${blog!.created}\t-`]);
    expect(await output((print) => keysCommand(['list', '--data', dir, '--project', 'blog'], print))).to.deep.equal([listed[1]]);

    const revoked = await output((print) => keysCommand(['revoke', '--data', dir, '--id', shop!.id], print));
    const at = KeyRing.open(dir).list('shop')[0]!.revoked!;
    expect(revoked).to.deep.equal([`Revoked write key ${shop!.id} of project 'shop' at ${at}`]);
    expect(KeyRing.open(dir).find(writeKey!)).to.equal(null);
    expect((await output((print) => keysCommand(['list', '--data', dir, '--project', 'shop'], print)))[0]).to.equal(`${shop!.id}\tshop\twrite\tweb\t${shop!.created}\t${at}`);
  });

  it('token prints a token alone on its last line that verifies with the secret in DATA_DIR', async () => {
    const lines = await output((print) =>
      tokenCommand(['--data', dir, '--project', 'acme-app', '--ttl', '600', '--kinds', 'trend, sessions', '--where', '{"tenant":"acme"}'], print, NO_ENV),
    );
    expect(lines).to.have.length(2);
    expect(lines[0]).to.match(/^Embed token for project 'acme-app', kinds trend, sessions, where \{"tenant":"acme"\}, expires \d{4}-\d\d-\d\dT[\d:.]+Z:$/);
    const secret = readFileSync(join(dir, 'secret'), 'utf8').trim();
    const grant = await verifyEmbedToken(lines[1]!, secret);
    expect({ ...grant, expires: undefined }).to.deep.equal({ project: 'acme-app', kinds: ['trend', 'sessions'], where: { tenant: 'acme' }, expires: undefined });
    expect(grant.expires - Date.now()).to.be.within(590_000, 600_000);
    expect(readServerSecret(dir, { env: {} })).to.equal(secret);
  });

  it('token signs with FOOTPRINT_SECRET when it is set, as the server does', async () => {
    const env = { FOOTPRINT_SECRET: 'a-shared-secret-of-more-than-32-characters' };
    const lines = await output((print) => tokenCommand(['--data', dir, '--project', 'shop', '--ttl', '60'], print, env));
    expect((await verifyEmbedToken(lines[1]!, env.FOOTPRINT_SECRET)).kinds).to.equal(null);
  });

  it('names the wrong or missing option in one line', async () => {
    const keys = (argv: string[]): Promise<string> => rejectionOf(keysCommand(argv, () => undefined)).then((e) => e.message);
    const token = (argv: string[]): Promise<string> => rejectionOf(tokenCommand(argv, () => undefined, NO_ENV)).then((e) => e.message);
    const cases: [Promise<string>, string | RegExp][] = [
      [keys([]), 'keys: expected create, list or revoke, got nothing'],
      [keys(['delete']), "keys: expected create, list or revoke, got 'delete'"],
      [keys(['create', '--data', dir, '--project', 'shop']), 'keys create: --role is required (write, read, admin)'],
      [keys(['create', '--project', 'shop', '--role', 'read']), "keys create: --data is required (the server's data folder)"],
      [keys(['create', '--data', dir, '--project', 'shop', '--role', 'owner']), "keys create: --role must be one of write, read, admin, got 'owner'"],
      [
        keys(['create', '--data', dir, '--project', 'Shop', '--role', 'read']),
        "keys create: --project: must be a project name (1 to 63 of a-z, 0-9, _ and -, starting with a letter or digit), got 'Shop'",
      ],
      [keys(['create', '--data', dir, '--projet', 'shop']), 'keys create: unknown option --projet (usage: keys create --data DIR --project P --role write|read|admin [--label L])'],
      [keys(['list', '--data']), 'keys list: --data needs a value (usage: keys list --data DIR [--project P])'],
      [keys(['revoke', '--data', dir, 'abc']), "keys revoke: unexpected argument 'abc' (usage: keys revoke --data DIR --id ID)"],
      [keys(['revoke', '--data', dir, '--id', 'abc']), `keys revoke: --id: no key with id 'abc' in ${join(dir, 'keys.json')}`],
      [token(['--data', dir, '--project', 'shop']), 'token: --ttl is required (seconds the token is valid for)'],
      [token(['--data', dir, '--project', 'shop', '--ttl', '1h']), "token: --ttl must be a whole number of seconds, got '1h'"],
      [token(['--data', dir, '--project', 'shop', '--ttl', '0']), "token: --ttl: ttlSeconds: must be a whole number of seconds from 1 to 2592000 (30 days), got '0'"],
      [
        token(['--data', dir, '--project', 'shop', '--ttl', '60', '--kinds', 'trend,pathz']),
        "token: --kinds: kinds[1]: unknown kind 'pathz' (known: events, trend, stickiness, sessions, retention, lifecycle, funnel, paths, adoption, errors, friction, segments)",
      ],
      // JSON.parse's own words differ between Node versions.
      [token(['--data', dir, '--project', 'shop', '--ttl', '60', '--where', '{tenant:1}']), /^token: --where must be a JSON object such as '\{"tenant":"acme"\}' \(.+\)$/],
      [
        token(['--data', dir, '--project', 'shop', '--ttl', '60', '--where', '{"tenant":{"op":"like","value":"a"}}']),
        "token: --where: where.tenant.op: must be one of =, !=, contains, >, <, got 'like'",
      ],
    ];
    for (const [message, expected] of cases) {
      if (typeof expected === 'string') expect(await message).to.equal(expected);
      else expect(await message).to.match(expected);
    }
  });
});
