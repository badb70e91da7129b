import { authHeaders } from './api.js';

/**
 * Reads a text/event-stream with fetch, because EventSource cannot send an Authorization header.
 * Calls onEvent({ event, id, data }) per frame (data parsed as JSON), onStatus('live' | 'reconnecting'
 * | 'stopped', detail). Reconnects after the server's `retry:` (2 s by default) until the signal aborts.
 */
export function readEventStream(url, { signal, onEvent, onStatus }) {
  let retryMs = 2000;

  async function once() {
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...authHeaders() }, signal, cache: 'no-store' });
    if (!res.ok || !res.body) {
      const err = new Error(`stream answered ${res.status}`);
      err.status = res.status;
      throw err;
    }
    onStatus('live');
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        dispatch(frame);
      }
    }
  }

  function dispatch(frame) {
    let event = 'message';
    let id;
    const data = [];
    for (const line of frame.split('\n')) {
      if (line === '' || line.startsWith(':')) continue; // comments are heartbeats
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) retryMs = Number(value);
    }
    if (data.length === 0) return;
    let parsed;
    try {
      parsed = JSON.parse(data.join('\n'));
    } catch {
      return;
    }
    onEvent({ event, id, data: parsed });
  }

  (async () => {
    while (!signal.aborted) {
      try {
        await once();
        if (signal.aborted) break;
        onStatus('reconnecting', 'the stream ended');
      } catch (err) {
        if (signal.aborted) break;
        if (err.status === 401 || err.status === 403) {
          onStatus('stopped', err.status === 401 ? 'your token was refused: sign in again' : 'your role cannot read live alerts');
          return;
        }
        onStatus('reconnecting', err.message);
      }
      await new Promise((r) => setTimeout(r, retryMs));
    }
    onStatus('stopped', 'left the page');
  })();
}
