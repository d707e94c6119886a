import { newUuid } from './ids.ts';
import { readItem, removeItem, webStorage, writeItem } from './web-storage.ts';

/** Minutes of inactivity after which the next event starts a new session (PostHog's and Mixpanel's default). */
export const DEFAULT_SESSION_TIMEOUT_MINUTES = 30;

interface StoredSession {
  id: string;
  /** Epoch ms of the session's last event. */
  lastActivity: number;
}

function parseSession(text: string | null): StoredSession | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<StoredSession>;
    return typeof value.id === 'string' && typeof value.lastActivity === 'number' ? { id: value.id, lastActivity: value.lastActivity } : null;
  } catch {
    return null;
  }
}

/**
 * Session ids: an event more than `timeoutMs` after the previous one starts
 * a new session. The session lives in sessionStorage, so a reload (or a new
 * tracker in the same tab) continues it while a new tab starts its own; a
 * copy in memory keeps sessions working where sessionStorage is unusable.
 */
export class SessionClock {
  private current: StoredSession | null = null;

  constructor(
    private readonly key: string,
    private readonly timeoutMs: number,
  ) {}

  /** The session id of an event at `now` (epoch ms); records the activity. */
  idAt(now: number): string {
    const storage = webStorage('sessionStorage');
    const previous = parseSession(readItem(storage, this.key)) ?? this.current;
    // abs: a clock set back by more than the timeout also starts a new session.
    const continues = previous !== null && Math.abs(now - previous.lastActivity) <= this.timeoutMs;
    const session = { id: continues ? previous.id : newUuid(), lastActivity: continues ? Math.max(now, previous.lastActivity) : now };
    this.current = session;
    try {
      writeItem(storage, this.key, JSON.stringify(session));
    } catch {
      // Unusable sessionStorage: the copy in memory carries the session for this page.
    }
    return session.id;
  }

  /** Forgets the session (stored and in memory): the next event starts a new one. */
  forget(): void {
    this.current = null;
    removeItem(webStorage('sessionStorage'), this.key);
  }
}
