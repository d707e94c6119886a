/**
 * README "For extension authors", followed word for word in the example
 * extension (examples/vscode-word-count): its code lines are in the
 * example's source, its package.json parts are the example's, its
 * telemetry.json entries are the example's, the commands it lists are the
 * library's, and the options table names every option.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { camelCase, USAGE_COMMAND_TITLES, usageCommands } from '../../extension/src/usage-commands.ts';

const read = (path: string) => readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8');
const readme = read('README.md');
const section = readme.slice(readme.indexOf('## For extension authors'), readme.indexOf('\n## ', readme.indexOf('## For extension authors') + 3));
const example = JSON.parse(read('examples/vscode-word-count/package.json')) as Record<string, any>;
const source = read('examples/vscode-word-count/src/extension.ts');
const telemetry = JSON.parse(read('examples/vscode-word-count/telemetry.json')) as { events: Record<string, unknown> };

function blocks(language: string): string[] {
  return [...section.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)\\n```', 'g'))].map((m) => m[1]!);
}

/** A README block of package.json members (`"a": …, "b": …`), as an object. */
function members(text: string): Record<string, any> {
  return JSON.parse(`{${text.trim().replace(/,$/, '')}}`) as Record<string, any>;
}

describe('README: for extension authors', () => {
  it('the five lines are in the example, word for word', () => {
    const [code] = blocks('ts');
    const lines = code!.split('\n').filter((line) => !line.trim().startsWith('//'));
    expect(lines).to.have.length(4);
    for (const line of lines) expect(source, line).to.contain(line.trim());
  });

  it("the package.json parts are the example's", () => {
    const [build, contributions] = blocks('json');
    const buildPart = members(build!);
    expect(buildPart.main).to.equal(example.main);
    expect(buildPart.scripts).to.deep.equal(example.scripts);
    expect(buildPart.activationEvents).to.deep.equal(example.activationEvents);
    const contributed = members(contributions!);
    expect(contributed.configuration).to.deep.equal(example.contributes.configuration);
    // The user's commands: the example's, minus its own two.
    expect(contributed.commands).to.deep.equal(example.contributes.commands.filter((c: { command: string }) => c.command.includes('.usage.')));
  });

  it("lists exactly the library's commands, with its titles, under the default prefix of the example's name", () => {
    const [, contributions] = blocks('json');
    const ids = usageCommands(`${camelCase(example.name)}.usage`);
    expect(camelCase(example.name)).to.equal('wordCount');
    expect(members(contributions!).commands.map((c: { command: string; title: string }) => [c.command, c.title])).to.deep.equal(
      Object.entries(ids).map(([key, id]) => [id, USAGE_COMMAND_TITLES[key as keyof typeof USAGE_COMMAND_TITLES]]),
    );
    expect(example.activationEvents).to.include(`onWebviewPanel:${camelCase(example.name)}.usage.dashboard`);
  });

  it("the telemetry.json entries shown are the example's", () => {
    const shown = JSON.parse(blocks('json')[2]!) as { events: Record<string, unknown> };
    for (const [name, entry] of Object.entries(shown.events)) expect(telemetry.events[name], name).to.deep.equal(entry);
  });

  it('the options table names every option of UsageRecorderOptions', () => {
    const declared = read('extension/src/usage-recorder.ts');
    const options = declared.slice(declared.indexOf('export interface UsageRecorderOptions'), declared.indexOf('\n}', declared.indexOf('export interface UsageRecorderOptions')));
    const names = [...options.matchAll(/^ {2}(\w+)\?:/gm)].map((m) => m[1]);
    const rows = [...section.matchAll(/^\| `(\w+)(?::[^`]*)?` \|/gm)].map((m) => m[1]);
    expect(rows).to.deep.equal(names);
  });
});
