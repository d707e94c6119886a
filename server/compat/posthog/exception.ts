import { MAX_ERROR_MESSAGE } from '../../../shared/tracker/error-details.ts';

/** The `$error` properties of a PostHog `$exception`. */
export interface ExceptionDetails {
  message: string;
  type: string;
  /** What caught it, in the tracker's words, when the SDK says (`mechanism.type` `onerror`, `onuncaughtexception` or `onunhandledrejection`). */
  source?: 'error' | 'unhandledrejection';
}

/** `mechanism.type` as the server SDKs (posthog-node) and Sentry-style senders name it; posthog-js says `generic` for both. */
const SOURCES: ReadonlyMap<string, NonNullable<ExceptionDetails['source']>> = new Map([
  ['onerror', 'error'],
  ['onuncaughtexception', 'error'],
  ['onunhandledrejection', 'unhandledrejection'],
]);

/**
 * What a `$exception` says went wrong: the first entry of
 * `$exception_list` (`{ type, value, mechanism }`, what posthog-js and
 * the server SDKs send since 2024), else the older flat
 * `$exception_type` / `$exception_message`. The message is cut at
 * MAX_ERROR_MESSAGE characters, as the tracker cuts its own.
 */
export function exceptionDetails(properties: Record<string, unknown>): ExceptionDetails {
  const list = properties.$exception_list;
  const first = Array.isArray(list) && typeof list[0] === 'object' && list[0] !== null ? (list[0] as Record<string, unknown>) : {};
  const text = (...values: unknown[]): string | undefined => values.find((value): value is string => typeof value === 'string' && value !== '');
  const message = text(first.value, properties.$exception_message) ?? '';
  const type = text(first.type, properties.$exception_type) ?? 'Error';
  const mechanism = typeof first.mechanism === 'object' && first.mechanism !== null ? (first.mechanism as Record<string, unknown>).type : undefined;
  const source = typeof mechanism === 'string' ? SOURCES.get(mechanism) : undefined;
  return { message: message.slice(0, MAX_ERROR_MESSAGE), type, ...(source ? { source } : {}) };
}
