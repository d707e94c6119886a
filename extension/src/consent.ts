/**
 * One consent of the user, kept in a setting of the extension (default
 * false): "record on this machine" (`<section>.telemetry.enabled`) or "share
 * with the author" (`<section>.telemetry.share`); with a one-time non-modal
 * prompt and the toggle command. It speaks the same contract as the web
 * tracker (shared/tracker/consent.ts).
 */
import type { ConsentChangeOptions, ConsentState, ConsentTarget } from '../../shared/tracker/consent.ts';
import type { DisposableLike, MementoLike, MessagesLike, WorkspaceLike } from './host-api.ts';

export const ALLOW = 'Allow';
export const NOT_NOW = 'Not now';
export const WHAT_IS_RECORDED = 'What is recorded?';

/** The record prompt's text for an extension called `name`. */
export function recordPromptText(name: string): string {
  return `${name} can record how you use it (its commands, its errors), kept only on this machine. VS Code's telemetry setting still applies.`;
}

/** The share prompt's text: `author` is who receives the events (the publisher's name or the server's host). */
export function sharePromptText(name: string, author: string): string {
  return `Also share your usage of ${name} with its author (${author})? The same events, with no file or workspace names; you can see each one sent and withdraw at any time.`;
}

/** `ConfigurationTarget.Global`: the user's settings, for every workspace. */
const GLOBAL = 1;

export interface ConsentHost {
  /** The extension's configuration section (`footprint`). */
  section: string;
  /** The setting under it: `telemetry.enabled` or `telemetry.share`. */
  key: string;
  /** The globalState key remembering that the prompt was shown (it is shown once, ever). */
  promptedKey: string;
  /** The prompt's text. */
  promptText: string;
  workspace: WorkspaceLike;
  window: MessagesLike;
  globalState: MementoLike;
  /** Shows what is recorded (telemetry.json / the README); called for "What is recorded?". */
  showWhatIsRecorded(): PromiseLike<unknown> | void;
  /** Deletes the stored events (for `setConsent('denied', { deleteStored: true })`). */
  deleteStored?(): Promise<unknown>;
}

export class Consent implements ConsentTarget, DisposableLike {
  private readonly listeners = new Set<(state: ConsentState) => void>();
  private readonly subscription: DisposableLike;
  private last: ConsentState;

  constructor(private readonly host: ConsentHost) {
    this.last = this.consent;
    this.subscription = host.workspace.onDidChangeConfiguration((change) => {
      if (!change.affectsConfiguration(`${host.section}.${host.key}`)) return;
      const state = this.consent;
      if (state === this.last) return;
      this.last = state;
      for (const listener of [...this.listeners]) listener(state);
    });
  }

  /** `granted` when the setting is on; `denied` when it is off and the user was asked; `pending` before that. */
  get consent(): ConsentState {
    if (this.host.workspace.getConfiguration(this.host.section).get<boolean>(this.host.key) === true) return 'granted';
    return this.host.globalState.get<boolean>(this.host.promptedKey) ? 'denied' : 'pending';
  }

  async setConsent(state: 'granted' | 'denied', options: ConsentChangeOptions = {}): Promise<void> {
    await this.host.globalState.update(this.host.promptedKey, true);
    await this.host.workspace.getConfiguration(this.host.section).update(this.host.key, state === 'granted', GLOBAL);
    if (state === 'denied' && options.deleteStored) await this.host.deleteStored?.();
  }

  onConsentChange(listener: (state: ConsentState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The toggle command and the status-bar item: flips the setting. */
  toggle(): Promise<void> {
    return this.setConsent(this.consent === 'granted' ? 'denied' : 'granted');
  }

  /**
   * Asks once, ever, in a notification (non-modal: the user may ignore it,
   * which leaves recording off). "What is recorded?" shows the description
   * and asks again. Resolves to the answer, or undefined when there was no
   * prompt or it was dismissed.
   */
  async promptOnce(): Promise<string | undefined> {
    if (this.consent !== 'pending') return undefined;
    await this.host.globalState.update(this.host.promptedKey, true);
    for (;;) {
      const answer = await this.host.window.showInformationMessage(this.host.promptText, ALLOW, NOT_NOW, WHAT_IS_RECORDED);
      if (answer === WHAT_IS_RECORDED) {
        await this.host.showWhatIsRecorded();
        continue;
      }
      if (answer === ALLOW) await this.setConsent('granted');
      return answer;
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.listeners.clear();
  }
}
