/**
 * `footprint/vscode`: consented usage recording for any VS Code extension.
 *
 *     import { createUsageRecorder } from 'footprint/vscode';
 *     let usage: UsageRecorder | undefined;
 *     export function activate(context: vscode.ExtensionContext) {
 *       usage = createUsageRecorder(context, { upload: { url: 'https://footprint.example.com', key: 'fp_w_…' } });
 *     }
 *     export function deactivate() { return usage?.dispose(); }
 *
 * Nothing is recorded until the user agrees (`<name>.telemetry.enabled`), and
 * never beyond what VS Code's `telemetry.telemetryLevel` allows; nothing is
 * sent until they also agree to share (`<name>.telemetry.share`). README
 * "For extension authors" has the package.json and telemetry.json parts.
 */
import * as vscode from 'vscode';
import { createUsageRecorderWith, type UsageRecorder, type UsageRecorderOptions } from './usage-recorder.ts';

export type { UsageRecorder, UsageRecorderOptions } from './usage-recorder.ts';
export type { UploadTarget } from './upload.ts';
export type { Allowed } from './telemetry-gate.ts';
export type { PropertyValue } from './recorder.ts';
export { usageCommands, USAGE_COMMAND_TITLES } from './usage-commands.ts';

/**
 * Starts recording the extension's usage (create it first thing in
 * `activate`, before registering commands, so each command is recorded):
 * registers the user's commands and, the first time, asks for consent.
 * Dispose it in `deactivate` (return the promise) so the last events are
 * stored and sent.
 */
export function createUsageRecorder(context: vscode.ExtensionContext, options: UsageRecorderOptions = {}): UsageRecorder {
  return createUsageRecorderWith(vscode, context, options);
}
