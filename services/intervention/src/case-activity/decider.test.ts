import { describe, expect, it } from 'vitest';
import { reject, type Decision } from '@syv/decider';
import type { ProblemCode } from '@syv/service-kit';
import { decideActivity, extraFamilialHarmOf, type ActivityCommand, type ActivityEvent } from './decider.js';

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
  it("given an open case, when an intervention records the child's and the family's views, then the event keeps them as written", () => {
    const data = { ...intervention.data, childViews: 'I do not feel safe on the bus.', familyViews: 'Dad wants him home by nine.' } as typeof intervention.data;
    const decision = decideActivity({ kind: 'log-intervention', data }, { status: 'open', area: 'E09000001' });
    expect(decision.ok && decision.events[0]?.data).toMatchObject({ childViews: 'I do not feel safe on the bus.', familyViews: 'Dad wants him home by nine.' });
  });
});

describe('a risk assessment and harm outside the home', () => {
  const open = { status: 'open', area: 'E09000001' } as const;
  const assess = (harm: { extraFamilialHarm?: boolean; harmOutsideHome?: ('exploitation' | 'online' | 'location')[] }): ActivityCommand => ({
    kind: 'assess-risk',
    data: { assessmentId: '66666666-6666-4666-8666-666666666666', caseId, riskLevel: 'high', assessedAt: '2026-02-03T10:00:00.000Z', ...harm },
  });
  const recorded = (decision: ReturnType<typeof decideActivity>) => (decision.ok ? decision.events[0]?.data : decision.rejection);

  it('given the kinds alone, when assessed, then extraFamilialHarm is derived: true for some kinds, false for none', () => {
    expect(recorded(decideActivity(assess({ harmOutsideHome: ['exploitation', 'location'] }), open))).toMatchObject({ extraFamilialHarm: true, harmOutsideHome: ['exploitation', 'location'] });
    expect(recorded(decideActivity(assess({ harmOutsideHome: [] }), open))).toMatchObject({ extraFamilialHarm: false, harmOutsideHome: [] });
  });
  it('given the yes/no alone, when assessed, then it is recorded as before and the kinds are not recorded', () => {
    const data = recorded(decideActivity(assess({ extraFamilialHarm: true }), open));
    expect(data).toMatchObject({ extraFamilialHarm: true });
    expect(data).not.toHaveProperty('harmOutsideHome');
  });
  it('given both, agreeing, when assessed, then both are recorded', () => {
    expect(recorded(decideActivity(assess({ extraFamilialHarm: true, harmOutsideHome: ['online'] }), open))).toMatchObject({ extraFamilialHarm: true, harmOutsideHome: ['online'] });
  });
  it('given both, disagreeing, when assessed, then it is refused naming harmOutsideHome', () => {
    expect(decideActivity(assess({ extraFamilialHarm: false, harmOutsideHome: ['online'] }), open)).toEqual({ ok: false, rejection: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/^harmOutsideHome: /) } });
    expect(decideActivity(assess({ extraFamilialHarm: true, harmOutsideHome: [] }), open)).toMatchObject({ ok: false, rejection: { code: 'VALIDATION_FAILED' } });
  });
  it('given neither, when assessed, then it is refused naming extraFamilialHarm', () => {
    expect(extraFamilialHarmOf({})).toMatchObject({ ok: false, field: 'extraFamilialHarm' });
    expect(decideActivity(assess({}), open)).toMatchObject({ ok: false, rejection: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/^extraFamilialHarm: /) } });
  });
});

describe('activity refusals', () => {
  it('can only be refused with a code of the error catalog', () => {
    // @ts-expect-error a code the catalog does not have does not compile
    const typo: Decision<ActivityEvent, ProblemCode> = reject('CASE_GONE', 'There is no such case.');
    expect(typo.ok).toBe(false);
  });
});
