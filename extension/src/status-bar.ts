/**
 * The status-bar item: shows whether usage is being recorded, and why not;
 * a click toggles the extension's setting (the command
 * `footprint.toggleRecording`).
 */
import type { Allowed, TelemetryLevel } from './telemetry-gate.ts';

export const TOGGLE_COMMAND = 'footprint.toggleRecording';

/** What the item shows. */
export interface StatusView {
  text: string;
  tooltip: string;
}

/** The item's text and tooltip for a state (codicons in `$(...)`). */
export function statusView(consented: boolean, allowed: Allowed, level: TelemetryLevel): StatusView {
  if (!consented) return { text: '$(circle-slash) Footprint', tooltip: 'Footprint is not recording your usage of this extension. Click to allow recording (kept on this machine).' };
  if (allowed.usage) return { text: '$(record) Footprint', tooltip: 'Footprint records your usage of this extension, on this machine only. Click to stop.' };
  if (allowed.errors) return { text: '$(record-small) Footprint', tooltip: "Footprint records only this extension's errors: VS Code's telemetry level is 'error'. Click to stop." };
  return { text: '$(circle-slash) Footprint', tooltip: `Footprint records nothing: VS Code's telemetry level is '${level}' (or telemetry is turned off). Click to turn Footprint's own setting off.` };
}

/** `vscode.StatusBarItem`, as far as it is used here. */
export interface StatusBarItemLike {
  text: string;
  tooltip?: unknown;
  command?: unknown;
  show(): void;
  dispose(): void;
}

/** Applies a state to the item. */
export function renderStatus(item: StatusBarItemLike, view: StatusView): void {
  item.text = view.text;
  item.tooltip = view.tooltip;
  item.command = TOGGLE_COMMAND;
  item.show();
}
