import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ROUTES } from '../../server/routes/index.ts';

/** The README's top-level section that starts with `heading`, up to the next one. */
function section(readme: string, heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  expect(start, heading).to.be.greaterThan(-1);
  const end = readme.indexOf('\n## ', start + heading.length);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** Routes in a section's endpoint tables: rows that start with `METHOD /path`. */
function documented(text: string): string[] {
  return [...text.matchAll(/^\| `(GET|POST|DELETE) (\/[^`]*)` \|/gm)].map(([, method, path]) => `${method} ${path}`);
}

/**
 * The README lists every route the server serves, and no other: the API in
 * "The Footprint server", the SDKs' doors (PostHog's, Segment's) in
 * "Already using PostHog or Segment?"; each route in one of them only.
 */
describe('README: the Footprint server', () => {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  const server = documented(section(readme, '## The Footprint server'));
  const sdks = documented(section(readme, '## Already using PostHog or Segment?'));

  it('documents each endpoint in its table', () => {
    expect([...server, ...sdks].sort()).to.deep.equal(ROUTES.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('lists each route once, and none of the SDKs\' doors outside /v1 in the server\'s own table', () => {
    expect(new Set([...server, ...sdks]).size).to.equal(server.length + sdks.length);
    expect(server.filter((route) => !route.split(' ')[1]!.startsWith('/v1/'))).to.deep.equal([]);
  });
});
