import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installationIdOf, isInstallationSecret } from '../../shared/remote/installation-id.ts';
import { INSTALLATION_FILE, loadInstallation } from '../../extension/src/installation.ts';
import { installationIdFromSecretSync, newInstallationSecretSync } from '../../extension/src/installation-id-node.ts';

describe('extension: the installation id', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'fp-installation-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('node:crypto gives the id Web Crypto gives (the server erases by it)', async () => {
    // The fixed secret of test/shared/installation-id.test.ts, and its id.
    const fixed = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';
    expect(installationIdFromSecretSync(fixed)).to.equal('inst_Nfp9cQddoMaRIUFcFlX5gZ');
    for (let i = 0; i < 20; i++) {
      const secret = newInstallationSecretSync();
      expect(isInstallationSecret(secret)).to.equal(true);
      expect(installationIdFromSecretSync(secret)).to.equal(await installationIdOf(secret));
    }
  });

  it('is made once, readable by the owner only, and read back the same', () => {
    const first = loadInstallation(folder);
    expect(first.id).to.match(/^inst_[\w-]{22}$/);
    expect(statSync(join(folder, INSTALLATION_FILE)).mode & 0o777).to.equal(0o600);
    expect(JSON.parse(readFileSync(join(folder, INSTALLATION_FILE), 'utf8'))).to.deep.equal({ secret: first.secret });
    expect(loadInstallation(folder)).to.deep.equal(first);
  });

  it('a damaged file is an error naming the file, not a silent new id', () => {
    writeFileSync(join(folder, INSTALLATION_FILE), '{"secret":"short"}');
    expect(() => loadInstallation(folder)).to.throw(`${join(folder, INSTALLATION_FILE)}: not an installation file`);
  });

  it('windows starting together agree on one installation', async () => {
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', new URL('./installation-loader.ts', import.meta.url).pathname, folder], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (chunk) => (out += chunk));
        child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
      });
    const ids = await Promise.all([run(), run(), run(), run()]);
    expect(new Set(ids).size).to.equal(1);
    expect(ids[0]).to.equal(loadInstallation(folder).id);
  });
});
