import { describe, expect, it } from 'vitest';
import { SOURCES } from './envelope.js';
import { examples } from './examples.js';
import { causedBy, EventValidationError, makeEvent } from './make-event.js';
import { parseEvent } from './parse.js';

const requested = examples['closure.requested.v1'];
const meta = {
  source: SOURCES.caseClosure,
  correlationid: '3e6f1a2b-4c5d-4e7f-8a9b-0c1d2e3f4a5b',
  causationid: '3e6f1a2b-4c5d-4e7f-8a9b-0c1d2e3f4a5b',
  actor: { sub: 'sw-4821', role: 'social_worker' as const },
  area: 'E09000001',
};

describe('makeEvent', () => {
  it('wraps data in a valid CloudEvents envelope, subject = caseId, with an id and time', () => {
    const event = makeEvent('closure.requested.v1', requested.data, meta);

    expect(event).toMatchObject({
      specversion: '1.0',
      type: 'closure.requested.v1',
      source: 'syv/case-closure',
      subject: requested.data.caseId,
      datacontenttype: 'application/json',
      data: requested.data,
    });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(parseEvent(JSON.parse(JSON.stringify(event)))).toEqual({ ok: true, event });
  });

  it('uses the id and time it is given, so a retried command makes the same event', () => {
    const options = { ...meta, id: requested.id, time: new Date('2026-04-20T09:00:01.731Z') };
    expect(makeEvent('closure.requested.v1', requested.data, options)).toEqual(makeEvent('closure.requested.v1', requested.data, options));
    expect(makeEvent('closure.requested.v1', requested.data, options).time).toBe('2026-04-20T09:00:01.731Z');
  });

  it('throws an EventValidationError naming the bad fields', () => {
    const bad = { ...requested.data, reason: 'bored' as never, summary: '   ' };
    let thrown: unknown;
    try {
      makeEvent('closure.requested.v1', bad, meta);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(EventValidationError);
    expect((thrown as EventValidationError).issues.map((i) => i.path)).toEqual(['data.reason', 'data.summary']);
    expect((thrown as EventValidationError).message).toMatch(/^closure\.requested\.v1 rejected: data\.reason: .*; data\.summary: must not be blank$/);
  });

  it('refuses an area that differs from the data area', () => {
    const referral = examples['referral.received.v1'];
    expect(() => makeEvent('referral.received.v1', referral.data, { ...meta, area: 'E09000022' })).toThrow(/area: must equal data\.area/);
  });

  it('chains correlation and causation from the event that caused it', () => {
    const assessed = makeEvent(
      'closure.assessed.v1',
      { closureRequestId: requested.data.closureRequestId, caseId: requested.data.caseId, flags: [], assessedAt: requested.data.requestedAt },
      { ...causedBy(requested), source: SOURCES.projection, actor: { sub: SOURCES.projection, role: 'system' } },
    );
    expect(assessed).toMatchObject({ correlationid: requested.correlationid, causationid: requested.id, subject: requested.subject, area: requested.area });
  });
});
