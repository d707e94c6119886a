/**
 * Sharing withdrawn (either consent turned off): sending stops at once, what
 * waits in the outbox is dropped, and the user is offered erasure of what
 * was sent: `POST /v1/erasure` with the installation's secret, the proof
 * only this installation holds (installation.ts).
 */
import type { MessagesLike } from './host-api.ts';
import type { Uploader } from './upload.ts';

export const ERASE = 'Erase';
export const KEEP = 'Keep';

export interface WithdrawalHost {
  uploader: Uploader;
  window: MessagesLike & {
    showErrorMessage(message: string, ...items: string[]): PromiseLike<string | undefined>;
    readonly state: { readonly focused: boolean };
  };
  /** The extension's display name. */
  name: string;
  /** Where events went (an origin). */
  target: string;
  /** The installation's secret. */
  secret: string;
  /** The sent list changed (the dashboard shows it again). */
  changed(): void;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** Asks the server to erase what this installation sent; on failure, says why and offers to try again. */
export async function eraseShared(host: WithdrawalHost): Promise<void> {
  try {
    const { deleted } = await host.uploader.erase(host.secret);
    await host.uploader.forgetSent();
    host.changed();
    void host.window.showInformationMessage(`${host.target} erased ${plural(deleted, 'event')} of this installation.`);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const retry = await host.window.showErrorMessage(`${host.name}: could not ask ${host.target} to erase the shared events (${why}).`, 'Try again');
    if (retry) await eraseShared(host);
  }
}

/** Stops sending, drops the outbox, and (in the focused window only: every window sees the setting change) offers erasure. */
export async function withdrawSharing(host: WithdrawalHost): Promise<void> {
  host.uploader.stop();
  await host.uploader.discard();
  host.changed();
  const sent = await host.uploader.sent();
  if (sent.length === 0 || !host.window.state.focused) return;
  const answer = await host.window.showInformationMessage(`${host.name} stopped sharing. Ask ${host.target} to erase the ${plural(sent.length, 'event')} this installation sent?`, ERASE, KEEP);
  if (answer === ERASE) await eraseShared(host);
}
