import { property } from 'lit/decorators.js';
import type { QueryKinds, SessionOptions } from '../../shared/index.ts';
import { FpElement } from './fp-element.ts';

/** Query kinds that build sessions (METRICS.md section 3). */
type SessionKind = 'sessions' | 'paths' | 'errors' | 'friction' | 'segments';

/**
 * The base of the widgets whose query builds sessions: the session options
 * as attributes, passed to the query by `sessionFields()`.
 *
 * @attr gap-minutes - inactivity, in minutes, that ends a session; default 30.
 * @attr max-minutes - longest session, in minutes; default 1440.
 * @attr split-at-midnight - start a new session when the local date changes.
 * @attr session-source - `auto` (default: by `session_id` where events carry one), `property` or `gap`.
 */
export abstract class SessionWidget<K extends SessionKind & keyof QueryKinds> extends FpElement<K> {
  /** Inactivity, in minutes, that ends a session; default 30. */
  @property({ type: Number, attribute: 'gap-minutes' }) gapMinutes?: number;
  /** Longest session, in minutes; default 1440. */
  @property({ type: Number, attribute: 'max-minutes' }) maxMinutes?: number;
  /** Start a new session when the local date changes. */
  @property({ type: Boolean, attribute: 'split-at-midnight' }) splitAtMidnight?: boolean;
  /** Where sessions come from: `auto` (default: by `session_id` where events carry one, else the gap rule), `property` or `gap`. */
  @property({ attribute: 'session-source' }) sessionSource?: SessionOptions['sessionSource'];

  /** The session options of the query. */
  protected sessionFields(): SessionOptions {
    // A boolean attribute that is absent means "not set": leave the store's default.
    return { gapMinutes: this.gapMinutes, maxMinutes: this.maxMinutes, splitAtMidnight: this.splitAtMidnight || undefined, sessionSource: this.sessionSource };
  }
}
