import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeServerUrl, registerServerDashboard, secretKeyOf, SERVER_COMMANDS } from '../../extension/src/server-dashboard.ts';
import { postEvents, startServer, type TestServer } from '../server/harness.ts';
import { FakeVscodeApi } from './fake-vscode-api.ts';

describe("extension: a server project's dashboard", () => {
  let folder: string;
  let server: TestServer;
  let fake: FakeVscodeApi;

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'fp-server-dashboard-'));
    server = await startServer();
    fake = new FakeVscodeApi();
    registerServerDashboard(fake.api as never, fake.context(folder, { name: 'footprint', publisher: 'footprint', version: '0.2.0' }));
    const now = Date.now();
    await postEvents(server.url, server.keys.write, [
      { event: 'wordCount.countWords', user_id: 'inst_a', timestamp: now - 3_600_000, properties: { command: 'wordCount.countWords' } },
      { event: 'wordCount.countWords', user_id: 'inst_b', timestamp: now - 3_000_000, properties: { command: 'wordCount.countWords' } },
      { event: 'wordCount.countSelection', user_id: 'inst_a', timestamp: now - 2_000_000, properties: { command: 'wordCount.countSelection' } },
      { event: 'session.start', user_id: 'inst_a', timestamp: now - 3_700_000 },
    ]);
  });
  afterEach(async () => {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('normalizes the address: http(s) only, no /v1, no trailing slash, no query', () => {
    expect(normalizeServerUrl(' https://fp.example.com/v1/ ')).to.equal('https://fp.example.com');
    expect(normalizeServerUrl('http://127.0.0.1:8787/')).to.equal('http://127.0.0.1:8787');
    expect(normalizeServerUrl('https://example.com/footprint')).to.equal('https://example.com/footprint');
    expect(() => normalizeServerUrl('ftp://x')).to.throw('must start with http:// or https://');
    expect(() => normalizeServerUrl('https://x/?key=1')).to.throw('no query');
    expect(() => normalizeServerUrl('not a url')).to.throw('not a URL');
  });

  it('asks for the server, the project and a read key once; keeps the key in SecretStorage; lists the commands seen, most used first', async () => {
    fake.answers.push(`${server.url}/v1`, 'shop', server.keys.read);
    await fake.run(SERVER_COMMANDS.open);
    expect(fake.inputs.map((i) => [i.title, i.password])).to.deep.equal([
      ['Footprint server', false],
      ['Footprint server: project', false],
      ['Footprint server: read key of shop', true],
    ]);
    const target = { url: server.url, project: 'shop' };
    expect(fake.secrets.get(secretKeyOf(target))).to.equal(server.keys.read);
    expect(fake.state.get('footprint.server.last')).to.deep.equal(target);
    expect(fake.panels).to.have.length(1);
    const config = JSON.parse(/data-config="([^"]*)"/.exec(fake.panels[0]!.html)![1]!.replace(/&quot;/g, '"')) as { title: string; commands: string[]; run: object };
    expect(config).to.deep.equal({ title: `shop (${new URL(server.url).host})`, commands: ['wordCount.countWords', 'wordCount.countSelection'], run: {} });

    // Again: the key comes from SecretStorage, only the address and project are asked (prefilled).
    fake.answers.push(server.url, 'shop');
    await fake.run(SERVER_COMMANDS.open);
    expect(fake.inputs).to.have.length(5);
    expect(fake.panels).to.have.length(2);
  });

  it('a refused key is asked for again, and the new one kept', async () => {
    fake.secrets.set(secretKeyOf({ url: server.url, project: 'shop' }), 'fpr_wrong');
    fake.answers.push(server.url, 'shop', server.keys.read);
    await fake.run(SERVER_COMMANDS.open);
    expect(fake.inputs.map((i) => i.title)).to.deep.equal(['Footprint server', 'Footprint server: project', 'Footprint server: read key of shop']);
    expect(fake.secrets.get(secretKeyOf({ url: server.url, project: 'shop' }))).to.equal(server.keys.read);
    expect(fake.panels).to.have.length(1);
  });

  it('a bad address or project is refused in the box; cancelling opens nothing; forgetting deletes the key', async () => {
    fake.answers.push('ftp://nope');
    await fake.run(SERVER_COMMANDS.open);
    expect(fake.inputs[0]!.problem).to.equal("the server's URL must start with http:// or https://, not ftp:");
    fake.answers.push(server.url, 'Shop!');
    await fake.run(SERVER_COMMANDS.open);
    expect(fake.inputs[2]!.problem).to.equal('lowercase letters, digits, _ and -, starting with a letter or digit');
    expect(fake.panels).to.deep.equal([]);
    fake.answers.push(server.url, 'shop', server.keys.read);
    await fake.run(SERVER_COMMANDS.open);
    await fake.run(SERVER_COMMANDS.forgetKey);
    expect(fake.secrets.size).to.equal(0);
    expect(fake.messages.at(-1)!.text).to.equal(`Footprint forgot the read key of shop on ${server.url}.`);
  });
});
