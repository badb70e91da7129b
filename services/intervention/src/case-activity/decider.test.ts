import { describe, expect, it } from 'vitest';
import { reject, type Decision } from '@syv/decider';
import type { ProblemCode } from '@syv/service-kit';
import { decideActivity, type ActivityCommand, type ActivityEvent } from './decider.js';

const caseId = '11111111-1111-4111-8111-111111111111';
const intervention: ActivityCommand = {
  kind: 'log-intervention',
  data: {
    interventionId: '44444444-4444-4444-8444-444444444444',
    caseId,
    agency: 'youth_service',
    kind: 'mentoring',
    deliveredAt: '2026-02-01T15:00:00.000Z',
    withChild: true,
    withFamily: false,
    durationMinutes: 60,
    notes: 'Met at the youth hub.',
  },
};
const incident: ActivityCommand = {
  kind: 'record-incident',
  data: { incidentId: '55555555-5555-4555-8555-555555555555', caseId, kind: 'violence_victim', severity: 'high', occurredAt: '2026-02-02T22:00:00.000Z' },
};

describe('activity on a case', () => {
  it('is recorded on an open case, as given', () => {
    expect(decideActivity(intervention, { status: 'open', area: 'E09000001' })).toEqual({
      ok: true,
      events: [{ type: 'intervention.logged.v1', data: intervention.data }],
    });
    const decision = decideActivity(incident, { status: 'open', area: 'E09000001' });
    expect(decision.ok && decision.events[0]?.type).toBe('incident.recorded.v1');
  });
  it('is refused on an unknown case, or one of another area, as a case not found', () => {
    const decision = decideActivity(intervention, { status: 'unknown' });
    expect(decision).toEqual({ ok: false, rejection: { code: 'CASE_NOT_FOUND', message: expect.any(String) } });
  });
  it('is refused on a closed case, saying to reopen first', () => {
    const decision = decideActivity(incident, { status: 'closed', area: 'E09000001' });
    expect(decision).toMatchObject({ ok: false, rejection: { code: 'CASE_CLOSED' } });
    if (!decision.ok) expect(decision.rejection.message).toMatch(/an incident.*Reopen/);
  });
  it('can only be refused with a code of the error catalog', () => {
    // @ts-expect-error a code the catalog does not have does not compile
    const typo: Decision<ActivityEvent, ProblemCode> = reject('CASE_GONE', 'There is no such case.');
    expect(typo.ok).toBe(false);
  });
});
