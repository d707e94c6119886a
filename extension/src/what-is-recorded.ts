/**
 * "What is recorded?": a Markdown page built from what the extension
 * declares (its telemetry.json, the file VS Code's `--telemetry` lists) and
 * what the library adds, with the user's current choices, so the answer is
 * the extension's own and always up to date.
 */
import type { Allowed, TelemetryLevel } from './telemetry-gate.ts';

/** telemetry.json as VS Code reads it: `{ events: { name: { purpose?, classification?, properties? } } }` (extra keys ignored). */
export interface TelemetryDeclaration {
  events?: Record<string, { purpose?: string; classification?: string; properties?: Record<string, string> }>;
}

export interface WhatIsRecordedInput {
  name: string;
  section: string;
  declared: TelemetryDeclaration | undefined;
  allowed: Allowed;
  consented: boolean;
  shareConsented: boolean;
  level: TelemetryLevel;
  /** Where shared events go, when the extension shares. */
  shareTarget?: string;
  installationId: string;
  storageFolder: string;
}

/** Keeps declared text from breaking the page's Markdown (tables, links, HTML). */
function plain(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`).replace(/\s+/g, ' ').trim();
}

export function whatIsRecordedMarkdown(input: WhatIsRecordedInput): string {
  const yesNo = (on: boolean) => (on ? 'yes' : 'no');
  const lines = [
    `# What ${plain(input.name)} records about its use`,
    '',
    `Recording on this machine: **${input.consented ? 'on' : 'off'}** (setting \`${input.section}.telemetry.enabled\`). ` +
      `VS Code's telemetry level: **${input.level}**. Now recorded: usage ${yesNo(input.allowed.usage)}, errors ${yesNo(input.allowed.errors)}.`,
    '',
    input.shareTarget
      ? `Sharing with the author (${plain(input.shareTarget)}): **${input.shareConsented ? 'on' : 'off'}** (setting \`${input.section}.telemetry.share\`). Now sent: ${yesNo(input.allowed.share)}. Only events recorded while sharing is on are sent; the usage dashboard lists every event sent, with when and where.`
      : 'This extension shares nothing: the events stay on this machine.',
    '',
    `Stored in \`${plain(input.storageFolder)}\`. Every event carries a random id of this installation (\`${input.installationId}\`, made for this extension only, not VS Code's machine id), the session, the time, and three properties: \`extension_version\`, \`vscode_version\`, \`platform\`. Never file names, workspace names or file contents.`,
    '',
    '| Event | Kind | Why | Properties |',
    '|---|---|---|---|',
  ];
  const declared = Object.entries(input.declared?.events ?? {});
  const library: [string, { purpose: string; classification: string; properties: Record<string, string> }][] = [
    ['<command id>', { purpose: 'A command of the extension ran.', classification: 'usage', properties: { command: 'its id', duration_ms: 'how long it ran', success: 'whether it finished without an error' } }],
    ['session.start', { purpose: 'The extension started in a window.', classification: 'usage', properties: {} }],
    ['session.end', { purpose: 'The window closed: how long the session lasted.', classification: 'usage', properties: { duration_ms: 'milliseconds since the start' } }],
    ['$error', { purpose: 'An error of the extension, to fix it.', classification: 'error', properties: { name: 'the error class', message: 'the message without paths, e-mails or tokens', stack: 'the stack without paths', command: 'the command that failed, if any' } }],
  ];
  const seen = new Set(declared.map(([name]) => name));
  for (const [name, about] of [...declared, ...library.filter(([name]) => !seen.has(name))]) {
    const properties = Object.entries(about.properties ?? {})
      .map(([key, why]) => `\`${plain(key)}\`: ${plain(why)}`)
      .join('; ');
    lines.push(`| \`${plain(name)}\` | ${plain(about.classification ?? 'usage')} | ${plain(about.purpose ?? '')} | ${properties || 'none'} |`);
  }
  lines.push('', `The commands "${plain(input.name)}: Export Usage Data" and "Delete Usage Data" give you or remove everything recorded.`, '');
  return lines.join('\n');
}
