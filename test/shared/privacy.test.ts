import { expect } from 'chai';
import { openStore, scrubProperties, scrubText, SpecError } from '../../shared/index.ts';
import { allEvents, ev, NOW, rejectionOf, storeWith } from './helpers.ts';

/** Each case: [given, stored]; a negative example stores the string unchanged. */
type Cases = readonly (readonly [string, string])[];

function expectScrubbed(cases: Cases): void {
  for (const [given, stored] of cases) expect(scrubText(given), given).to.equal(stored);
}

function unchanged(...texts: string[]): Cases {
  return texts.map((text) => [text, text] as const);
}

async function specErrorOf(promise: Promise<unknown>, field: string): Promise<SpecError> {
  const error = await rejectionOf(promise);
  expect(error, error.message).to.be.instanceOf(SpecError);
  expect((error as SpecError).field).to.equal(field, error.message);
  return error as SpecError;
}

function bytesAsText(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes);
}

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

describe('privacy: property scrubbing', () => {
  describe('each rule, with positive and negative examples', () => {
    it('URLs lose their query string, fragment and credentials; relative URLs stay', () => {
      expectScrubbed([
        ['https://x.io/a?b=c#d', 'https://x.io/a'],
        ['open https://x.io/docs#install, then', 'open https://x.io/docs, then'],
        ['https://ann:secret@x.io/p?q=1', 'https://x.io/p'],
        ['(see http://x.io/?q=1).', '(see http://x.io/).'], // trailing punctuation is not part of the URL
        ...unchanged('https://x.io/a/b', '/search?q=shoes', 'https://x.io/@ann/post', 'what? #1'),
      ]);
    });

    it('JWTs become <token>', () => {
      expectScrubbed([
        [`token ${JWT} expired`, 'token <token> expired'],
        ['eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.', '<token>'], // unsigned: empty third part
        ...unchanged('eyJ.a.b', 'eyJhbGciOiJIUzI1NiJ9', `k${JWT}`),
      ]);
    });

    it('bearer tokens become Bearer <token>; prose about bearers stays', () => {
      expectScrubbed([
        ['Authorization: Bearer abc123DEF456ghi789', 'Authorization: Bearer <token>'],
        ['bearer dG9rZW4xMjM0NTY3OA==', 'bearer <token>'],
        [`Bearer ${JWT}`, 'Bearer <token>'],
        ...unchanged('the bearer of bad news', 'Bearer token', 'Bearer ab1'),
      ]);
    });

    it('e-mail addresses become <email>; npm scopes, versions and retina image names stay', () => {
      expectScrubbed([
        ['mail ann.lee+news@mail.example.co.uk now', 'mail <email> now'],
        ['ANN@EXAMPLE.COM', '<email>'],
        ['a@b.io, c@d.io', '<email>, <email>'],
        ...unchanged('@types/node', 'lodash@4.17.21', 'icon@2x.png', 'root@localhost', 'a@b'),
      ]);
    });

    it('home-directory paths become <path>, up to whitespace or a quote', () => {
      expectScrubbed([
        ['at run (/home/ann/app/main.js:3:9)', 'at run (<path>)'],
        ['saved /Users/bob/Documents/report.pdf.', 'saved <path>.'],
        ['C:\\Users\\ann\\AppData\\Local\\x.log failed', '<path> failed'],
        ['c:/users/ann/x.txt', '<path>'],
        ['D:\\\\Users\\\\ann\\\\x', '<path>'], // backslashes doubled, as in an escaped string
        ['file:///home/ann/x', 'file://<path>'],
        ['open "/home/ann/a b.txt"', 'open "<path> b.txt"'], // the rule stops at whitespace
        ...unchanged('/home', 'https://x.io/users/42', 'https://x.io/home/feed', '/srv/app/main.js', '/Users'),
      ]);
    });

    it('plausible IPv6 addresses become <ip>; times, C++ names and slices stay', () => {
      expectScrubbed([
        ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', '<ip>'],
        ['peer fe80::1ff:fe23:4567:890a up', 'peer <ip> up'],
        ['::1', '<ip>'],
        ['2001:db8::', '<ip>'],
        ['http://[2001:db8::1]:8080/', 'http://[<ip>]:8080/'],
        ['::ffff:192.0.2.1', '<ip>'], // the embedded IPv4 goes with it
        ...unchanged('12:30:45', '2026-11-28T12:30:45Z', 'a::b', 'Add::Face', 'std::vector<int>', 'x[::2]', 'a::b::c1'),
        ...unchanged('00:1a:2b:3c:4d:5e', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9'),
      ]);
    });

    it('dotted quads become <ip>, bare version-like ones too; other versions stay', () => {
      expectScrubbed([
        ['from 192.168.0.1:8080', 'from <ip>:8080'],
        ['1.2.3.4', '<ip>'], // a dotted quad is an address, as PostHog and Sentry treat it
        ['http://10.0.0.1/x', 'http://<ip>/x'],
        ['at 10.0.0.1.', 'at <ip>.'],
        ['255.255.255.255', '<ip>'],
        ...unchanged('1.2.3', '1.2.3.4.5', 'v1.2.3.4', '256.1.1.1', 'Mozilla/5.0 Chrome/120.0.0.0 Safari/537.36'),
      ]);
    });

    it('applies every rule to one string, and leaves plain values alone', () => {
      expectScrubbed([
        ['ann@x.io at 10.0.0.1 got https://x.io/r?t=1 in /home/ann/r.txt', '<email> at <ip> got https://x.io/r in <path>'],
        ...unchanged('', 'Chrome', '/dashboard', 'button#save-report', 'Request failed with status 502'),
      ]);
    });
  });

  it('scrubs string values at any depth, keeps keys and other values, and returns the same object when nothing changes', () => {
    const given = {
      'ann@x.io': 'key kept',
      list: ['10.0.0.1', { deep: 'https://x.io/a?b=c#d' }, 3],
      nested: { flag: true, none: null, count: 2, note: 'Bearer abc123def456' },
      when: new Date(Date.UTC(2026, 10, 28, 12, 30, 45)), // serialized by toJSON, an ISO time: not an address
    };
    expect(scrubProperties(given)).to.deep.equal({
      'ann@x.io': 'key kept',
      list: ['<ip>', { deep: 'https://x.io/a' }, 3],
      nested: { flag: true, none: null, count: 2, note: 'Bearer <token>' },
      when: '2026-11-28T12:30:45.000Z',
    });
    expect(given.list[0]).to.equal('10.0.0.1', 'the given object is not modified');
    const clean = { path: '/dashboard', nested: { browser: 'Chrome' } };
    expect(scrubProperties(clean)).to.equal(clean);
  });

  it('stores scrubbed properties by default, and the events query shows them', async () => {
    const store = await storeWith([
      ev('ann', '2026-11-20T10:00:00Z', '$error', {
        properties: {
          message: 'fetch https://api.x.io/u?email=ann@x.io failed from 192.168.1.20',
          stack: ['at load (/Users/ann/app.js:1:1)', { frame: 'C:\\Users\\ann\\app.js' }],
          'contact ann@x.io': 'key kept',
        },
      }),
    ]);
    expect((await allEvents(store)).map((e) => e.properties)).to.deep.equal([
      {
        message: 'fetch https://api.x.io/u failed from <ip>',
        stack: ['at load (<path>)', { frame: '<path>' }],
        'contact ann@x.io': 'key kept',
      },
    ]);
    expect(bytesAsText(await store.export()).includes('192.168.1.20')).to.equal(false);
  });

  it('stores properties exactly as given with scrub: false, and never scrubs user ids', async () => {
    const properties = { message: 'ann@x.io at 10.0.0.1', url: 'https://x.io/a?b=c' };
    const store = await storeWith([ev('ann@x.io', '2026-11-20T10:00:00Z', 'open', { properties })], { scrub: false });
    expect((await allEvents(store)).map((e) => [e.user_id, e.properties])).to.deep.equal([['ann@x.io', properties]]);
    const scrubbing = await storeWith([ev('ann@x.io', '2026-11-20T10:00:00Z', 'open', { properties })]);
    expect((await allEvents(scrubbing)).map((e) => [e.user_id, e.properties])).to.deep.equal([
      ['ann@x.io', { message: '<email> at <ip>', url: 'https://x.io/a' }],
    ]);
  });

  it('rejects a scrub option that is not a boolean, naming scrub', async () => {
    const error = await specErrorOf(openStore({ scrub: 'no' as unknown as boolean }), 'scrub');
    expect(error.message).to.equal("scrub: must be true or false, got 'no'");
  });
});

describe('privacy: pseudonymize', () => {
  // HMAC-SHA-256 hex of each id, worked out independently (RFC 4231 test case 2 and Node's createHmac).
  const RFC_4231_CASE_2 = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
  const ALICE_1 = '6d3588ab401a41eee6c3225f5ba2434027b15daa15349a40835ab267f4b607ef'; // salt-1, alice
  const BOB_1 = '35ffb6d24b14246b08a76fb8c10e2583177ea4f0ad5ecda874616033031058d1'; // salt-1, bob
  const ALICE_2 = '04b3aad4e44c50b22db3e36cf1a91cbc86b3638a2d1cdc8a7e94ee8f5bd7f19c'; // salt-2, alice
  const BOB_2 = '4efea2676819aeb5dcc20faf8dad1d7ec4e5ff90f542f206b1e5ae25c32848ef'; // salt-2, bob
  const N42_1 = '38209651ab6fc56342881afb09c3bee9a2a3c66938f56d922f2a20fd85e99ab2'; // salt-1, '42'
  const CAROL_1 = '3be04d552222f0bf967ad8877a2c9dbfddc287c5d961a74fc1a73c2766b4afc2'; // salt-1, carol
  const ERIN_1 = 'ebe185e727924bfad6d0eb5a1e053c0017450f3c351016e6e3ff0d318b6c53ad'; // salt-1, erin

  const table = [
    ev('alice', '2026-11-20T10:00:00Z', 'open'),
    ev('bob', '2026-11-20T11:00:00Z', 'open'),
    ev('alice', '2026-11-21T10:00:00Z', 'save'),
  ];

  it('stores the HMAC-SHA-256 hex of the id, keyed by the salt (RFC 4231 test case 2)', async () => {
    const store = await storeWith([ev('what do ya want for nothing?', '2026-11-20T10:00:00Z')], { pseudonymize: { salt: 'Jefe' } });
    expect((await allEvents(store)).map((e) => e.user_id)).to.deep.equal([RFC_4231_CASE_2]);
  });

  it('never lets a raw id reach the database', async () => {
    const secret = 'raw-id-Kq83';
    const store = await storeWith([ev(secret, '2026-11-20T10:00:00Z'), ev(secret, '2026-11-21T10:00:00Z')], { pseudonymize: { salt: 'salt-1' } });
    const bytes = bytesAsText(await store.export());
    expect(bytes.includes('Kq83')).to.equal(false, 'the raw id is in the exported bytes');
    expect(bytes.includes('click')).to.equal(true, 'the file is readable as text');
  });

  it('the events query takes the raw user id and lists the stored pseudonyms', async () => {
    const store = await storeWith(table, { pseudonymize: { salt: 'salt-1' } });
    expect(await store.query({ kind: 'events', user: 'alice' })).to.deep.equal({
      total: 2,
      events: [
        { event: 'save', user_id: ALICE_1, timestamp: '2026-11-21T10:00:00.000Z', session_id: null, uuid: null, properties: {} },
        { event: 'open', user_id: ALICE_1, timestamp: '2026-11-20T10:00:00.000Z', session_id: null, uuid: null, properties: {} },
      ],
    });
    // The pseudonym is not a raw id: asking for it hashes it again and finds nobody.
    expect((await store.query({ kind: 'events', user: ALICE_1 })).total).to.equal(0);
    expect((await store.query({ kind: 'events' })).events.map((e) => e.user_id)).to.deep.equal([ALICE_1, BOB_1, ALICE_1]);
  });

  it('deleteUser takes the raw id (a number names the same user as its string)', async () => {
    const store = await storeWith([...table, ev('42', '2026-11-22T10:00:00Z'), { event: 'open', user_id: 42, timestamp: '2026-11-23T10:00:00Z' }], {
      pseudonymize: { salt: 'salt-1' },
    });
    expect((await allEvents(store)).map((e) => e.user_id)).to.deep.equal([N42_1, N42_1, ALICE_1, BOB_1, ALICE_1]);
    expect(await store.deleteUser('alice')).to.equal(2);
    expect(await store.deleteUser(ALICE_1)).to.equal(0); // a pseudonym is hashed like any raw id
    expect(await store.deleteUser(42)).to.equal(2);
    expect((await allEvents(store)).map((e) => e.user_id)).to.deep.equal([BOB_1]);
  });

  it('a different salt gives different ids', async () => {
    const store = await storeWith(table, { pseudonymize: { salt: 'salt-2' } });
    expect((await allEvents(store)).map((e) => e.user_id)).to.deep.equal([ALICE_2, BOB_2, ALICE_2]);
  });

  it('a store reopened with the same salt finds the user; reopened without it, it does not', async () => {
    const first = await storeWith(table, { pseudonymize: { salt: 'salt-1' } });
    const bytes = await first.export();
    await first.close();

    const same = await openStore({ data: bytes, now: () => NOW, pseudonymize: { salt: 'salt-1' } });
    expect((await same.query({ kind: 'events', user: 'alice' })).total).to.equal(2);
    await same.ingest([ev('alice', '2026-11-22T10:00:00Z')]);
    expect((await same.query({ kind: 'events', user: 'alice' })).total).to.equal(3); // new events join the stored pseudonym
    expect(await same.deleteUser('alice')).to.equal(3);
    await same.close();

    // The salt is not in the file: without the option the store neither hashes nor finds the raw id.
    const forgetful = await openStore({ data: bytes, now: () => NOW });
    expect((await forgetful.query({ kind: 'events', user: 'alice' })).total).to.equal(0);
    expect((await forgetful.query({ kind: 'events', user: ALICE_1 })).total).to.equal(2);
    await forgetful.close();
  });

  it('hashes each distinct id once per store', async () => {
    const subtle = globalThis.crypto.subtle;
    const sign = subtle.sign;
    let signed = 0;
    subtle.sign = function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto['sign']>) {
      signed += 1;
      return sign.apply(this, args);
    } as SubtleCrypto['sign'];
    try {
      const store = await storeWith([...table, ...table], { pseudonymize: { salt: 'salt-1' } });
      expect(signed).to.equal(2); // alice and bob, six events
      await store.ingest([ev('alice', '2026-11-22T10:00:00Z'), ev('carol', '2026-11-22T11:00:00Z')]);
      expect(signed).to.equal(3); // carol only
      await store.query({ kind: 'events', user: 'bob' });
      await store.deleteUser('alice');
      expect(signed).to.equal(3);
      expect((await allEvents(store)).map((e) => e.user_id)).to.deep.equal([CAROL_1, BOB_1, BOB_1]);
    } finally {
      // The method lives on the prototype: removing the own property restores it.
      delete (subtle as Partial<SubtleCrypto>).sign;
    }
    expect(globalThis.crypto.subtle.sign).to.equal(sign);
  });

  it('runs operations in call order: a deleteUser called during a hashing ingest removes what that ingest stores', async () => {
    const store = await storeWith([ev('dana', '2026-11-20T10:00:00Z')], { pseudonymize: { salt: 'salt-1' } });
    // erin is new, so this ingest awaits an HMAC; dana's pseudonym is cached, so deleteUser alone would not wait.
    const ingesting = store.ingest([ev('dana', '2026-11-21T10:00:00Z'), ev('erin', '2026-11-21T11:00:00Z')]);
    const removed = store.deleteUser('dana');
    expect([(await ingesting).accepted, await removed]).to.deep.equal([2, 2]);
    expect((await allEvents(store)).map((e) => e.user_id)).to.deep.equal([ERIN_1]);
  });

  it('rejects a salt that is not a non-empty string, naming pseudonymize.salt', async () => {
    const empty = await specErrorOf(openStore({ pseudonymize: { salt: '' } }), 'pseudonymize.salt');
    expect(empty.message).to.equal("pseudonymize.salt: must be a non-empty string (give pseudonymize: { salt: '...' }), got ''");
    await specErrorOf(openStore({ pseudonymize: { salt: 7 as unknown as string } }), 'pseudonymize.salt');
    await specErrorOf(openStore({ pseudonymize: {} as { salt: string } }), 'pseudonymize.salt');
    const bare = await specErrorOf(openStore({ pseudonymize: 'salt-1' as unknown as { salt: string } }), 'pseudonymize.salt');
    expect(bare.message).to.equal("pseudonymize.salt: must be a non-empty string (give pseudonymize: { salt: '...' }), got 'salt-1'");
  });
});
