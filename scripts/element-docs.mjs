// The README's "Widget reference": one section per element, written from
// dist/custom-elements.json (made by `npx cem analyze` from each class's
// JSDoc) plus the `@example` of each class. `npm run docs` rewrites the
// README between its markers; test/element-docs.node.test.ts checks that the
// README is up to date.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const START = '<!-- elements:start -->';
export const END = '<!-- elements:end -->';

// JSDoc's {@link Name} reads as code: there is no page to link to.
const oneLine = (text = '') => text.replace(/\{@link\s+([^}\s]+)\s*\}/g, '`$1`').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();

/** The `@example` block of the class JSDoc in `file`, without the comment stars. */
function exampleOf(root, file) {
  const source = readFileSync(join(root, file), 'utf8');
  const match = /\* @example\n((?: \*.*\n)+?) \*(?: @|\/)/.exec(source);
  return match ? match[1].split('\n').map((line) => line.replace(/^ \* ?/, '')).join('\n').trim() : undefined;
}

/**
 * A description as Markdown: its prose on one line per paragraph, and each
 * fenced block (a JSDoc example written in the description) kept as a
 * fenced block of its own instead of folded into the prose.
 */
function described(text = '') {
  return text
    .split(/(```\w*\n[\s\S]*?\n```)/)
    .map((part) => (part.startsWith('```') ? part : part.split(/\n\s*\n/).map(oneLine).filter(Boolean).join('\n\n')))
    .filter(Boolean)
    .flatMap((part) => [part, '']);
}

/**
 * The events an element documents with `@event`. The analyzer also reports
 * `new CustomEvent(name)` with a variable as an event called after the
 * variable: such a name, not an `fp-` name, is left out; an `fp-` event
 * without a description is an error to fix in the class's JSDoc.
 */
function documentedEvents(element, events = []) {
  for (const event of events) {
    if (!event.description && event.name.startsWith('fp-')) {
      throw new Error(`${element.path}: event ${event.name} of <${element.tagName ?? element.name}> has no description; add \`@event ${event.name} - what it means; detail ...\` to the class JSDoc`);
    }
  }
  return events.filter((event) => event.description);
}

function table(header, rows) {
  if (rows.length === 0) return [];
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`), ''];
}

/** Documented public fields set as properties only (those with an attribute are in the attribute table). */
const publicProperties = (members = []) => members.filter((m) => m.kind === 'field' && !m.privacy && !m.static && !m.attribute && m.description);

/** Markdown for every element of the manifest, the base class's shared members listed once. */
export function elementDocs(manifest, root) {
  const declarations = manifest.modules.flatMap((module) => (module.declarations ?? []).map((d) => ({ ...d, path: module.path })));
  const elements = declarations.filter((d) => d.tagName).sort((a, b) => a.tagName.localeCompare(b.tagName));
  const base = declarations.find((d) => d.name === 'FpElement');
  // Members of the common base are listed once, above; those of an intermediate base (SessionWidget) with each element.
  const own = (items = []) => items.filter((item) => item.inheritedFrom?.name !== 'FpElement');
  const lines = [START, ''];
  if (base) {
    lines.push('### Common to every widget', '', ...described(base.description));
    lines.push(...table(['Attribute', 'Description'], (base.attributes ?? []).map((a) => [`\`${a.name}\``, oneLine(a.description)])));
    lines.push(...table(['Property', 'Description'], publicProperties(base.members).map((p) => [`\`${p.name}\``, oneLine(p.description)])));
    lines.push(...table(['Event', 'Description'], documentedEvents(base, base.events).map((e) => [`\`${e.name}\``, oneLine(e.description)])));
    lines.push(...table(['CSS custom property', 'Description'], (base.cssProperties ?? []).map((p) => [`\`${p.name}\``, oneLine(p.description)])));
    lines.push('Parts: `frame`, `download`, `data-table` (the visually hidden table of the numbers).', '');
  }
  for (const element of elements) {
    lines.push(`### \`<${element.tagName}>\``, '', ...described(element.description));
    const example = exampleOf(root, element.path);
    if (example) lines.push('```html', example, '```', '');
    lines.push(...table(['Attribute', 'Type', 'Description'], own(element.attributes).map((a) => [`\`${a.name}\``, `\`${oneLine(a.type?.text ?? '')}\``, oneLine(a.description)])));
    lines.push(...table(['Property', 'Description'], publicProperties(own(element.members)).map((p) => [`\`${p.name}\``, oneLine(p.description)])));
    lines.push(...table(['Event', 'Description'], documentedEvents(element, own(element.events)).map((e) => [`\`${e.name}\``, oneLine(e.description)])));
    lines.push(...table(['CSS custom property', 'Description'], own(element.cssProperties).map((p) => [`\`${p.name}\``, oneLine(p.description)])));
    lines.push(...table(['Part', 'Description'], own(element.cssParts).map((p) => [`\`${p.name}\``, oneLine(p.description)])));
    lines.push(...table(['Slot', 'Description'], (element.slots ?? []).map((s) => [s.name ? `\`${s.name}\`` : '(default)', oneLine(s.description)])));
  }
  lines.push(END);
  return lines.join('\n');
}

/** The README with its element section replaced. */
export function withElementDocs(readme, docs) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < 0) throw new Error(`README.md has no ${START} ... ${END} markers`);
  return readme.slice(0, start) + docs + readme.slice(end + END.length);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const manifest = JSON.parse(readFileSync(join(root, 'dist/custom-elements.json'), 'utf8'));
  const readmePath = join(root, 'README.md');
  writeFileSync(readmePath, withElementDocs(readFileSync(readmePath, 'utf8'), elementDocs(manifest, root)));
  console.log('README.md: widget reference updated from dist/custom-elements.json');
}
