/**
 * A reader of `text/event-stream` (Server-Sent Events) over a fetch body.
 * EventSource cannot send an `Authorization` header, so a token would have to
 * go in the URL, where proxies and server logs keep it: reading the stream
 * from fetch keeps it in the header. Follows the HTML standard's parsing
 * rules (https://html.spec.whatwg.org/multipage/server-sent-events.html).
 */

/** One dispatched event: its type (`message` when the stream names none) and its data lines joined by `\n`. */
export interface StreamEvent {
  event: string;
  data: string;
  id?: string;
}

/** What the stream says besides events. */
export interface EventStreamHandlers {
  onEvent(event: StreamEvent): void;
  /** A `retry:` field: the reconnection delay the server asks for, in ms. */
  onRetry?(ms: number): void;
  /** Any bytes arrived, comments (`: keep-alive`) included: the connection is alive. */
  onActivity?(): void;
}

/** Parses lines as they come; `push` text in any chunks, `end` at the end of the stream. */
export class EventStreamParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | undefined;
  /** A chunk ended with `\r`: a `\n` starting the next one belongs to the same line break. */
  private afterCarriageReturn = false;

  constructor(private readonly handlers: EventStreamHandlers) {}

  push(text: string): void {
    if (this.afterCarriageReturn && text.startsWith('\n')) text = text.slice(1);
    this.afterCarriageReturn = text.endsWith('\r');
    this.buffer += text;
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop()!;
    for (const line of lines) this.line(line);
  }

  /** The stream ended: an event not followed by a blank line is dropped, as the standard says. */
  end(): void {
    this.buffer = '';
    this.event = '';
    this.data = [];
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.event = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.handlers.onRetry?.(Number(value));
        break;
      // Any other field is ignored.
    }
  }

  private dispatch(): void {
    const data = this.data;
    const event = this.event || 'message';
    this.data = [];
    this.event = '';
    if (data.length === 0) return;
    const dispatched: StreamEvent = { event, data: data.join('\n') };
    if (this.id !== undefined) dispatched.id = this.id;
    this.handlers.onEvent(dispatched);
  }
}

/** Reads a whole stream (until it ends, errors or `signal` aborts its fetch) into `handlers`. */
export async function readEventStream(body: ReadableStream<Uint8Array>, handlers: EventStreamHandlers): Promise<void> {
  const parser = new EventStreamParser(handlers);
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      handlers.onActivity?.();
      parser.push(decoder.decode(value, { stream: true }));
    }
    parser.push(decoder.decode());
    parser.end();
  } finally {
    reader.releaseLock();
  }
}
