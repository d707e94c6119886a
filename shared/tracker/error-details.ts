import { scrubText } from '../privacy/scrub.ts';

/** Characters of an error message an `$error` records, at most. */
export const MAX_ERROR_MESSAGE = 1000;

/** Characters of a stack an `$error` records, at most (the first frames say where). */
export const MAX_ERROR_STACK = 4000;

/** The properties of an `$error`. */
export interface ErrorDetails {
  message: string;
  /** The error's name (`TypeError`), `Error` for a thrown non-error, `UnhandledRejection` for a rejection with one. */
  type: string;
  /** The stack, scrubbed (see {@link scrubStack}); absent when the error has none. */
  stack?: string;
  /** What caught it: an uncaught exception or an unhandled promise rejection. */
  source: 'error' | 'unhandledrejection';
}

/**
 * A query string or fragment in a path of a stack frame (`app.js?v=3&token=x`,
 * `/home/ann/a.js#x`), up to the frame's `:line:column`, its closing
 * parenthesis or the end of the word; the line and column stay. Unlike the
 * core's URL rule (which would cut `:10:5` along with the query), this keeps
 * the frame usable.
 */
const QUERY_IN_PATH = /(\/[^\s?#()'"]*)[?#][^\s()'"]*?(?=(?::\d+){1,2}(?=[\s)'"]|$)|[\s)'"]|$)/gm;

/**
 * A stack as recorded: query strings and fragments removed from every path
 * (they carry tokens and ids), then the core's scrubbing (privacy/scrub.ts:
 * home-directory paths become `<path>`, e-mail and IP addresses, tokens).
 */
export function scrubStack(stack: string): string {
  return scrubText(stack.replace(QUERY_IN_PATH, '$1'));
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The `$error` properties of what was thrown (or rejected); `fallbackMessage` is the ErrorEvent's, for a cross-origin "Script error.". */
export function errorDetails(thrown: unknown, source: ErrorDetails['source'], fallbackMessage = ''): ErrorDetails {
  const isError = thrown instanceof Error;
  const message = isError ? thrown.message : thrown === undefined || thrown === null ? fallbackMessage : describe(thrown);
  const details: ErrorDetails = {
    message: scrubText(message).slice(0, MAX_ERROR_MESSAGE),
    type: isError ? thrown.name : source === 'unhandledrejection' ? 'UnhandledRejection' : 'Error',
    source,
  };
  if (isError && typeof thrown.stack === 'string' && thrown.stack !== '') details.stack = scrubStack(thrown.stack).slice(0, MAX_ERROR_STACK);
  return details;
}
