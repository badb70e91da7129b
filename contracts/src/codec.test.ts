import { describe, expect, it } from 'vitest';
import { CLOUDEVENTS_CONTENT_TYPE, decodeAlertMessage, decodeCaseMessage, decodeMessage, encodeMessage } from './codec.js';
import { ALERT_EVENT_TYPES, CASE_EVENT_TYPES, EVENT_TYPES, type AnyEvent } from './events/catalog.js';
import { examples } from './examples.js';
import { parseCaseEvent, parseEvent, type ParseResult } from './parse.js';

const referral = examples['referral.received.v1'];

/** The example as a mutable JSON object, to break one thing at a time. */
function jsonOf(event: AnyEvent): Record<string, unknown> & { data: Record<string, unknown> } {
  return JSON.parse(JSON.stringify(event)) as Record<string, unknown> & { data: Record<string, unknown> };
}

function errorOf<E>(result: ParseResult<E>) {
  if (result.ok) throw new Error('expected the input to be rejected');
  return result.error;
}

describe('encodeMessage / decodeMessage', () => {
  it.each(EVENT_TYPES)('round-trips %s in structured mode, keyed by caseId', (type) => {
    const event = examples[type];
    const message = encodeMessage(event);

    expect(message.key).toBe(event.data.caseId);
    expect(message.key).toBe(event.subject);
    expect(message.headers).toEqual({ 'content-type': CLOUDEVENTS_CONTENT_TYPE });
    expect(JSON.parse(message.value.toString('utf8'))).toMatchObject({ specversion: '1.0', type, data: event.data });

    expect(decodeMessage(message.value)).toEqual({ ok: true, event });
    expect(decodeMessage(message.value.toString('utf8'))).toEqual({ ok: true, event });
  });

  it('decodes case events and alerts only from their own topic', () => {
    for (const type of CASE_EVENT_TYPES) expect(decodeCaseMessage(encodeMessage(examples[type]).value).ok).toBe(true);
    for (const type of ALERT_EVENT_TYPES) expect(decodeAlertMessage(encodeMessage(examples[type]).value).ok).toBe(true);

    const alertOnCaseTopic = errorOf(decodeCaseMessage(encodeMessage(examples['alert.raised.v1']).value));
    expect(alertOnCaseTopic.issues).toEqual([{ path: 'type', message: expect.stringContaining('"alert.raised.v1" is not a case-events event') }]);
  });

  it('rejects malformed JSON', () => {
    const error = errorOf(decodeMessage(Buffer.from('{"specversion":"1.0",')));
    expect(error.message).toMatch(/malformed JSON/);
    expect(error.issues).toHaveLength(1);
  });

  it('rejects an empty value (a tombstone) and JSON that is not an object', () => {
    expect(errorOf(decodeMessage(null)).message).toMatch(/empty value/);
    expect(errorOf(decodeMessage('[1,2]')).issues).toEqual([{ path: '', message: expect.stringContaining('expected a JSON object') }]);
  });

  it('rejects an unknown type, naming it and the known ones', () => {
    const error = errorOf(decodeMessage(JSON.stringify({ ...jsonOf(referral), type: 'referral.deleted.v1' })));
    expect(error.issues).toEqual([{ path: 'type', message: expect.stringContaining('unknown event type "referral.deleted.v1"') }]);
    expect(error.message).toContain('referral.received.v1');
  });

  it('rejects a bad data field, naming its path', () => {
    const event = jsonOf(referral);
    event.data.riskLevel = 'very high';
    const error = errorOf(decodeMessage(JSON.stringify(event)));
    expect(error.issues).toEqual([{ path: 'data.riskLevel', message: expect.stringContaining('expected one of "low"|"medium"|"high"') }]);
    expect(error.message).toMatch(/^referral\.received\.v1 rejected: data\.riskLevel: /);
  });

  it('names the path into arrays and nested objects', () => {
    const event = jsonOf(examples['closure.held.v1']);
    (event.data.flags as Record<string, unknown>[])[1]!.rule = 'CLOSE_ANYWAY';
    const error = errorOf(decodeMessage(JSON.stringify(event)));
    expect(error.issues.map((i) => i.path)).toEqual(['data.flags[1].rule']);
  });

  it('rejects a missing envelope attribute as required', () => {
    const { correlationid: _dropped, ...event } = jsonOf(referral);
    const error = errorOf(decodeMessage(JSON.stringify(event)));
    expect(error.issues).toEqual([{ path: 'correlationid', message: 'required' }]);
  });

  it('reports the other envelope problems too when the type is missing', () => {
    const { type: _type, id: _id, ...event } = jsonOf(referral);
    const error = errorOf(decodeMessage(JSON.stringify(event)));
    expect(error.issues).toEqual([
      { path: 'type', message: 'required' },
      { path: 'id', message: 'required' },
    ]);
  });

  it('rejects another CloudEvents version and a datacontenttype other than JSON', () => {
    const error = errorOf(decodeMessage(JSON.stringify({ ...jsonOf(referral), specversion: '0.3', datacontenttype: 'text/xml' })));
    expect(error.issues.map((i) => i.path)).toEqual(['specversion', 'datacontenttype']);
  });

  it('rejects a time without an offset, which is ambiguous across summer time', () => {
    const event = jsonOf(referral);
    event.data.receivedAt = '2026-01-05T09:12:00';
    expect(errorOf(decodeMessage(JSON.stringify(event))).issues.map((i) => i.path)).toEqual(['data.receivedAt']);
  });

  it('rejects a subject that is not the data caseId, since the key would route the event to the wrong case', () => {
    const event = { ...jsonOf(referral), subject: examples['referral.received.v1'].data.referralId };
    expect(errorOf(decodeMessage(JSON.stringify(event))).issues).toEqual([{ path: 'subject', message: expect.stringContaining('must equal data.caseId') }]);
  });

  it('rejects a childId that looks like a name', () => {
    const event = jsonOf(referral);
    event.data.childId = 'Jayden Smith';
    expect(errorOf(decodeMessage(JSON.stringify(event))).issues.map((i) => i.path)).toEqual(['data.childId']);
  });
});

describe('parseCaseEvent / parseEvent', () => {
  it('accept every example of their family', () => {
    for (const type of CASE_EVENT_TYPES) expect(parseCaseEvent(jsonOf(examples[type]))).toEqual({ ok: true, event: examples[type] });
    for (const type of EVENT_TYPES) expect(parseEvent(jsonOf(examples[type])).ok).toBe(true);
  });

  it('drop attributes they do not know, so a producer adding one does not break consumers', () => {
    const result = parseEvent({ ...jsonOf(referral), traceparent: '00-abc-def-01' });
    expect(result).toEqual({ ok: true, event: referral });
  });

  it('narrow the type by its discriminant', () => {
    const result = parseCaseEvent(jsonOf(examples['risk.assessed.v1']));
    if (!result.ok || result.event.type !== 'risk.assessed.v1') throw new Error('expected a risk assessment');
    expect(result.event.data.extraFamilialHarm).toBe(true);
  });
});
