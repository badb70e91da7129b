import { describe, expect, it } from 'vitest';
import { makeEvent, SOURCES } from '@syv/contracts';
import { createSseParser, type SseEvent } from '../../../../e2e/support/sse.js';
import { sseFrame } from './stream-route.js';

const id = '11111111-1111-4111-8111-111111111111';

describe('sseFrame', () => {
  it('given an alert whose explanation has line breaks and colons, when framed and parsed back, then the client gets the same data', () => {
    const event = makeEvent(
      'alert.raised.v1',
      { alertId: id, caseId: id, area: 'E1', rule: 'SLOW_START', severity: 'high', explanation: 'Line one:\nline two\n\ndata: not a field', evidence: [id], raisedAt: '2024-03-04T10:00:00Z' },
      { source: SOURCES.projection, area: 'E1', correlationid: id, causationid: id, actor: { sub: 'projection', role: 'system' } },
    );
    const got: SseEvent[] = [];
    const parse = createSseParser((e) => got.push(e), () => undefined);
    const frame = sseFrame(event);
    // Delivered in awkward pieces, as TCP may.
    for (let i = 0; i < frame.length; i += 7) parse(frame.slice(i, i + 7));
    expect(got).toEqual([{ id: event.id, event: 'alert.raised', data: JSON.stringify(event.data) }]);
    expect(JSON.parse(got[0]!.data)).toEqual(event.data);
  });
});
