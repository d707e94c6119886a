/**
 * Records the extension's commands without the author changing a line: the
 * extension's own `vscode.commands` (VS Code gives each extension an API
 * object of its own, so this touches no other extension) has its
 * `registerCommand` and `registerTextEditorCommand` wrapped, and every
 * command registered after `createUsageRecorder` is recorded with its id, its
 * duration and whether it succeeded; a command that throws (or whose promise
 * rejects) is also recorded as an error, then the error goes on to VS Code as
 * before.
 */
import type { DisposableLike } from './host-api.ts';

/** What a run of a command tells the recorder. */
export interface CommandRun {
  id: string;
  durationMs: number;
  success: boolean;
  error?: unknown;
}

/** `vscode.commands`, as far as the wrapping touches it. */
export interface CommandsLike {
  registerCommand(command: string, callback: (...args: any[]) => any, thisArg?: any): DisposableLike;
  registerTextEditorCommand(command: string, callback: (...args: any[]) => any, thisArg?: any): DisposableLike;
}

/** `callback` wrapped so that each run is reported to `ran` (after it settles). */
export function recordedCallback<F extends (...args: any[]) => any>(id: string, callback: F, ran: (run: CommandRun) => void, now: () => number = performance.now.bind(performance)): F {
  return function (this: unknown, ...args: unknown[]) {
    const started = now();
    const finish = (success: boolean, error?: unknown) => ran({ id, durationMs: now() - started, success, ...(success ? {} : { error }) });
    let result: unknown;
    try {
      result = callback.apply(this, args);
    } catch (error) {
      finish(false, error);
      throw error;
    }
    if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<unknown>).then(
        () => finish(true),
        (error: unknown) => finish(false, error),
      );
    } else finish(true);
    return result;
  } as F;
}

/**
 * Wraps `commands.registerCommand` and `registerTextEditorCommand` in place;
 * `shouldRecord(id)` picks the commands (the library's own are left to it).
 * Dispose to put the originals back. Returns undefined when the object does
 * not let itself be changed (a frozen API): the author then registers through
 * `UsageRecorder.registerCommand`.
 */
export function wrapCommandRegistration(commands: CommandsLike, shouldRecord: (id: string) => boolean, ran: (run: CommandRun) => void): DisposableLike | undefined {
  const original = { registerCommand: commands.registerCommand, registerTextEditorCommand: commands.registerTextEditorCommand };
  const wrap =
    (register: CommandsLike['registerCommand']): CommandsLike['registerCommand'] =>
    (id, callback, thisArg) =>
      register.call(commands, id, shouldRecord(id) ? recordedCallback(id, callback, ran) : callback, thisArg);
  try {
    commands.registerCommand = wrap(original.registerCommand);
    commands.registerTextEditorCommand = wrap(original.registerTextEditorCommand);
  } catch {
    return undefined;
  }
  if (commands.registerCommand === original.registerCommand) return undefined;
  return {
    dispose: () => {
      commands.registerCommand = original.registerCommand;
      commands.registerTextEditorCommand = original.registerTextEditorCommand;
    },
  };
}
