/**
 * The status-bar item (optional, `statusBar: true`): shows whether usage is
 * being recorded, and why not; a click toggles the extension's setting (the
 * toggle-recording command).
 */
import type { Allowed, TelemetryLevel } from './telemetry-gate.ts';

/** What the item shows. */
export interface StatusView {
  text: string;
  tooltip: string;
}

/** The item's text and tooltip for a state (codicons in `$(...)`); `name` is the extension's display name. */
export function statusView(name: string, consented: boolean, allowed: Allowed, level: TelemetryLevel): StatusView {
  const where = allowed.share ? 'on this machine, and shares it with the author' : 'on this machine only';
  if (!consented) return { text: `$(circle-slash) ${name}`, tooltip: `${name} is not recording your usage of this extension. Click to allow recording (kept on this machine).` };
  if (allowed.usage) return { text: `$(record) ${name}`, tooltip: `${name} records your usage of this extension, ${where}. Click to stop.` };
  if (allowed.errors) return { text: `$(record-small) ${name}`, tooltip: `${name} records only this extension's errors, ${where}: VS Code's telemetry level is 'error'. Click to stop.` };
  return { text: `$(circle-slash) ${name}`, tooltip: `${name} records nothing: VS Code's telemetry level is '${level}' (or telemetry is turned off). Click to turn ${name}'s own setting off.` };
}

/** `vscode.StatusBarItem`, as far as it is used here. */
export interface StatusBarItemLike {
  text: string;
  tooltip?: unknown;
  command?: unknown;
  show(): void;
  dispose(): void;
}

/** Applies a state to the item; a click runs `toggleCommand`. */
export function renderStatus(item: StatusBarItemLike, view: StatusView, toggleCommand: string): void {
  item.text = view.text;
  item.tooltip = view.tooltip;
  item.command = toggleCommand;
  item.show();
}
