import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ROUTES } from '../../server/routes/index.ts';

/** The README's server section lists every route the server serves, and no other. */
describe('README: the Footprint server', () => {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  const start = readme.indexOf('## The Footprint server');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 3));

  it('documents each endpoint in its table', () => {
    const documented = [...section.matchAll(/^\| `(GET|POST|DELETE) (\/v1\/[^`]*)` \|/gm)].map(([, method, path]) => `${method} ${path}`);
    expect(documented.sort()).to.deep.equal(ROUTES.map((route) => `${route.method} ${route.path}`).sort());
  });
});
