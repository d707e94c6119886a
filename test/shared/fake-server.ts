/** A Footprint server played by a fetch function, for the HTTP Source's tests (Node and Chromium). */

/** One request the fake fetch received. */
export interface Call {
  url: string;
  method: string;
  authorization: string | null;
  contentType: string | null;
  body: unknown;
  signal: AbortSignal | undefined;
}

/** A JSON answer, as the server gives them. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** A fetch that answers each request with `answer(call, index)` and keeps every call. */
export function fakeFetch(answer: (call: Call, index: number) => Response | Promise<Response>): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fake = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    const call: Call = {
      url: String(input),
      method: init.method ?? 'GET',
      authorization: headers.get('authorization'),
      contentType: headers.get('content-type'),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      signal: init.signal ?? undefined,
    };
    calls.push(call);
    if (call.signal?.aborted) throw call.signal.reason;
    return answer(call, calls.length - 1);
  };
  return { fetch: fake as typeof fetch, calls };
}

/** An event stream the test writes to; it errors with the reason when `signal` aborts, as a fetch body does. */
export function eventStream(signal?: AbortSignal): { response: Response; send(text: string): void; close(): void } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  signal?.addEventListener('abort', () => {
    if (open) controller.error(signal.reason);
    open = false;
  });
  return {
    response: new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    send(text: string): void {
      if (open) controller.enqueue(new TextEncoder().encode(text));
    },
    close(): void {
      if (open) controller.close();
      open = false;
    },
  };
}

/** Resolves once `check()` is true, polling every 5 ms; fails after `ms`. */
export async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`still not true after ${ms} ms: ${check.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
