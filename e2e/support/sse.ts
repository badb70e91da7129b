// A small Server-Sent Events client over fetch, as a supervisor's browser would hold the alert
// stream open: it keeps every event it receives, so a test can assert what arrived and how often.

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

export interface SseClient {
  status: number;
  contentType: string;
  events: SseEvent[];
  /** Comment lines seen (heartbeats). */
  comments: number;
  /** The `data` of every event of this name, parsed as JSON. */
  data<T = Record<string, unknown>>(event: string): T[];
  waitFor<T = Record<string, unknown>>(event: string, predicate: (data: T) => boolean, what: string, timeoutMs?: number): Promise<T>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Parses the text/event-stream format (WHATWG HTML §9.2): fields per line, events end at a blank line. */
export function createSseParser(onEvent: (e: SseEvent) => void, onComment: () => void): (chunk: string) => void {
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  return (chunk) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
      if (line === '') {
        if (data.length > 0) onEvent({ id, event: event || 'message', data: data.join('\n') });
        data = [];
        event = '';
        continue;
      }
      if (line.startsWith(':')) {
        onComment();
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
      else if (field === 'id') id = value;
    }
  };
}

/** `onEvent` is called as each event is parsed, for a caller that needs the moment it arrived (the freshness bench). */
export async function connectSse(url: string, token: string | undefined, onEvent?: (e: SseEvent) => void): Promise<SseClient> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) }, signal: controller.signal });
  const events: SseEvent[] = [];
  const client: SseClient = {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    events,
    comments: 0,
    data: <T>(name: string) => events.filter((e) => e.event === name).map((e) => JSON.parse(e.data) as T),
    async waitFor<T>(name: string, predicate: (data: T) => boolean, what: string, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = client.data<T>(name).find(predicate);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} on the alert stream (got ${events.length} events)`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    ended: Promise.resolve(),
    close: () => controller.abort(),
  };
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    return client;
  }
  const parse = createSseParser(
    (e) => {
      events.push(e);
      onEvent?.(e);
    },
    () => {
      client.comments++;
    },
  );
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  client.ended = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        parse(value);
      }
    } catch {
      // aborted by close(), or the connection dropped: either way the stream is over
    }
  })();
  return client;
}

/** One connection of a held stream. */
export interface HeldConnection {
  /** The URL that answered. */
  url: string;
  /** When its answer arrived: the server subscribed it to the alerts before sending that answer. */
  openedAt: number;
  /** When it ended (the server went, or close()); undefined while it is open. */
  endedAt: number | undefined;
  events: SseEvent[];
}

export interface HeldStream {
  /** Every connection made, oldest first; the last one is open unless the stream is between two. */
  connections: HeldConnection[];
  /** Resolves with the connection that is open, once one that opened after `since` is. */
  waitOpen(since: number, timeoutMs: number): Promise<HeldConnection>;
  /** Ends the open connection and stops reconnecting. */
  close(): Promise<void>;
}

/**
 * Holds the alert stream open as the console does: when a connection ends or cannot be made, it
 * tries again after `retryMs` (the stream's own `retry:`), each time to the first of `urls` that
 * answers 200. One URL is a supervisor whose instance must come back; several are a load balancer's
 * choice of whichever instance is up. The stream has no Last-Event-ID resumption, so none is sent.
 */
export function holdSse(urls: string[], token: string, retryMs = 2_000): HeldStream {
  const connections: HeldConnection[] = [];
  let closed = false;
  let open: SseClient | undefined;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const connectToOne = async (): Promise<{ url: string; client: SseClient } | undefined> => {
    for (const url of urls) {
      const client = await connectSse(url, token).catch(() => undefined);
      if (client?.status === 200) return { url, client };
    }
    return undefined;
  };
  const loop = (async () => {
    while (!closed) {
      const got = await connectToOne();
      if (got && closed) got.client.close();
      if (got && !closed) {
        open = got.client;
        const connection: HeldConnection = { url: got.url, openedAt: Date.now(), endedAt: undefined, events: got.client.events };
        connections.push(connection);
        await got.client.ended;
        connection.endedAt = Date.now();
        open = undefined;
      }
      if (!closed) await pause(retryMs);
    }
  })();
  return {
    connections,
    async waitOpen(since, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const last = connections.at(-1);
        if (last && last.endedAt === undefined && last.openedAt >= since) return last;
        if (Date.now() > deadline) throw new Error(`no alert stream connection to ${urls.join(' or ')} opened within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      closed = true;
      open?.close();
      wake?.();
      await loop;
    },
  };
}
