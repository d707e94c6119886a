/** An answer other than 2xx, with a message that names what is wrong (the body is `{ "error": message }`, plus `field` for a spec's field). */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}, readonly field?: string) { super(message); }
}
