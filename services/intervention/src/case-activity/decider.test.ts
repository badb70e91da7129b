import { describe, expect, it } from 'vitest';
import { decideActivity, type ActivityCommand } from './decider.js';

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
  it('is refused with 404 on an unknown case', () => {
    const decision = decideActivity(intervention, { status: 'unknown' });
    expect(decision).toMatchObject({ ok: false, rejection: { code: 'CASE_NOT_FOUND', status: 404 } });
  });
  it('is refused with 409 on a closed case, saying to reopen first', () => {
    const decision = decideActivity(incident, { status: 'closed', area: 'E09000001' });
    expect(decision).toMatchObject({ ok: false, rejection: { code: 'CASE_CLOSED', status: 409 } });
    if (!decision.ok) expect(decision.rejection.message).toMatch(/an incident.*Reopen/);
  });
});
