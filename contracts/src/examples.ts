import { DATA_CONTENT_TYPE, SOURCES, SPEC_VERSION, type Actor } from './envelope.js';
import type { EventData, EventOf, EventType } from './events/catalog.js';
import type { Flag } from './fields.js';

// One realistic event of every type, all from one case's story: a 14-year-old referred by school for
// criminal exploitation, a CAMHS referral that took eight weeks to start and ended with its work
// completed, a housing referral declined and a youth justice referral withdrawn, a closure held because
// harm outside the home was still present, then closed months later and reopened. Used as examples
// in the generated JSON Schema and AsyncAPI documents, and as fixtures in tests. Values are fixed so
// the generated files do not change from one run to the next.

const area = 'E09000001';
const caseId = '5b1f3c2e-8a4d-4f6b-9c1e-2d3a4b5c6d01';
const childId = 'child-7f3a9c21';

const socialWorker: Actor = { sub: 'sw-4821', role: 'social_worker' };
const supervisor: Actor = { sub: 'sup-0317', role: 'supervisor' };
const dataProtectionOfficer: Actor = { sub: 'dpo-0042', role: 'data_protection_officer' };
const projection: Actor = { sub: SOURCES.projection, role: 'system' };
const caseClosure: Actor = { sub: SOURCES.caseClosure, role: 'system' };

/** A fixed, valid v4 UUID per number, so the examples can refer to each other. */
const fixedId = (prefix: string, n: number) => `${prefix}-41d7-4b3a-9e25-${String(n).padStart(12, '0')}`;
const eventId = (n: number) => fixedId('6f0c2a9e', n);
const requestId = (n: number) => fixedId('0d8b7c6a', n);

const ids = {
  referral: '9e2d7a41-3c5b-4e8f-a1d2-6b7c8d9e0f02',
  onwardReferral: '1c4e6a8b-2d3f-4a5b-8c7d-9e0f1a2b3c03',
  housingReferral: '3d5f7a9b-4e6c-4b8d-9f1a-2b3c4d5e6f17',
  youthJusticeReferral: '4e6a8b0c-5f7d-4c9e-8a2b-3c4d5e6f7a18',
  intervention: '7d8e9f0a-1b2c-4d3e-b4f5-a6b7c8d9e004',
  incident: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c05',
  assessment: '8f9a0b1c-2d3e-4f4a-a5b6-c7d8e9f0a106',
  heldClosure: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c07',
  approvedClosure: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d08',
  alert: 'c3d4e5f6-a7b8-4c9d-ae0f-2a3b4c5d6e09',
  amendment: 'd4e5f6a7-b8c9-4dae-8f0a-3b4c5d6e7f21',
} as const;

interface ExampleMeta {
  id: string;
  source: string;
  time: string;
  correlationid: string;
  causationid: string;
  actor: Actor;
}

function example<T extends EventType>(type: T, data: EventData<T>, meta: ExampleMeta): EventOf<T> {
  return {
    specversion: SPEC_VERSION,
    id: meta.id,
    source: meta.source,
    type,
    time: meta.time,
    subject: caseId,
    datacontenttype: DATA_CONTENT_TYPE,
    correlationid: meta.correlationid,
    causationid: meta.causationid,
    actor: meta.actor,
    area,
    data,
  } as EventOf<T>; // the fields are exactly EventOf<T>'s; TypeScript cannot narrow the union from a generic T
}

const highRiskFlag: Flag = {
  rule: 'CLOSURE_HIGH_RISK',
  severity: 'high',
  explanation: 'The latest risk assessment (10 Apr) is high and records harm outside the home; closing now would leave that harm unaddressed.',
  evidence: [eventId(7)],
};
const singleAgencyFlag: Flag = {
  rule: 'CLOSURE_SINGLE_AGENCY',
  severity: 'medium',
  explanation: 'Risk is high but every intervention came from the youth service alone; no other agency has worked with the child.',
  evidence: [eventId(5)],
};
const flags = [highRiskFlag, singleAgencyFlag];

export const examples: { [T in EventType]: EventOf<T> } = {
  'referral.received.v1': example(
    'referral.received.v1',
    {
      referralId: ids.referral,
      caseId,
      childId,
      area,
      sourceAgency: 'school',
      concerns: ['criminal_exploitation', 'missing_episodes', 'school_exclusion'],
      riskLevel: 'medium',
      receivedAt: '2026-01-05T09:12:00Z',
      reReferral: false,
      reason: 'He has missed school for three weeks and was found in another town with cash and two phones he could not explain.',
    },
    { id: eventId(1), source: SOURCES.referral, time: '2026-01-05T09:12:03.412Z', correlationid: requestId(1), causationid: requestId(1), actor: socialWorker },
  ),
  'case.opened.v1': example(
    'case.opened.v1',
    { caseId, childId, area, referralId: ids.referral, openedAt: '2026-01-05T09:12:00Z' },
    { id: eventId(2), source: SOURCES.referral, time: '2026-01-05T09:12:03.412Z', correlationid: requestId(1), causationid: requestId(1), actor: socialWorker },
  ),
  'case.allocated.v1': example(
    'case.allocated.v1',
    { caseId, area, allocatedTo: socialWorker.sub, previouslyAllocatedTo: null, allocatedBy: socialWorker.sub, allocatedAt: '2026-01-05T09:12:00Z' },
    { id: eventId(16), source: SOURCES.referral, time: '2026-01-05T09:12:03.412Z', correlationid: requestId(1), causationid: requestId(1), actor: socialWorker },
  ),
  'onward-referral.made.v1': example(
    'onward-referral.made.v1',
    {
      onwardReferralId: ids.onwardReferral,
      caseId,
      agency: 'camhs',
      reason: 'Low mood and poor sleep since witnessing a stabbing near school; the school nurse asked for a CAMHS assessment.',
      referredAt: '2026-01-07T14:00:00Z',
    },
    { id: eventId(3), source: SOURCES.referral, time: '2026-01-07T14:02:41.007Z', correlationid: requestId(2), causationid: requestId(2), actor: socialWorker },
  ),
  'onward-referral.started.v1': example(
    'onward-referral.started.v1',
    { onwardReferralId: ids.onwardReferral, caseId, startedAt: '2026-03-04T10:30:00Z' },
    { id: eventId(4), source: SOURCES.referral, time: '2026-03-04T16:20:05.118Z', correlationid: requestId(3), causationid: requestId(3), actor: socialWorker },
  ),
  'onward-referral.declined.v1': example(
    'onward-referral.declined.v1',
    {
      onwardReferralId: ids.housingReferral,
      caseId,
      reason: 'The family is not homeless or at risk within 56 days, so housing says the threshold is not met.',
      declinedAt: '2026-02-02T11:00:00Z',
    },
    { id: eventId(17), source: SOURCES.referral, time: '2026-02-02T11:40:12.301Z', correlationid: requestId(12), causationid: requestId(12), actor: socialWorker },
  ),
  'onward-referral.withdrawn.v1': example(
    'onward-referral.withdrawn.v1',
    {
      onwardReferralId: ids.youthJusticeReferral,
      caseId,
      reason: 'Police took no further action after the arrest, so a youth justice referral is no longer needed.',
      withdrawnAt: '2026-02-20T09:00:00Z',
    },
    { id: eventId(18), source: SOURCES.referral, time: '2026-02-20T09:05:44.870Z', correlationid: requestId(13), causationid: requestId(13), actor: socialWorker },
  ),
  'onward-referral.ended.v1': example(
    'onward-referral.ended.v1',
    {
      onwardReferralId: ids.onwardReferral,
      caseId,
      endedAt: '2026-06-24T10:30:00+01:00',
      outcome: 'completed',
      reason: 'Sixteen sessions of trauma-focused work; he sleeps better and knows how to reach the team again.',
    },
    { id: eventId(19), source: SOURCES.referral, time: '2026-06-24T12:10:31.442Z', correlationid: requestId(14), causationid: requestId(14), actor: socialWorker },
  ),
  'intervention.logged.v1': example(
    'intervention.logged.v1',
    {
      interventionId: ids.intervention,
      caseId,
      agency: 'youth_service',
      kind: 'mentoring',
      deliveredAt: '2026-01-09T16:00:00Z',
      withChild: true,
      withFamily: false,
      durationMinutes: 60,
      notes:
        'Met at the youth centre after school. He said older boys have been asking him to carry parcels and he feels unsafe walking home. Agreed two safe routes and who to call.',
      childViews: 'I want to go back to college but I cannot walk past the chicken shop any more.',
    },
    { id: eventId(5), source: SOURCES.intervention, time: '2026-01-09T17:25:10.550Z', correlationid: requestId(4), causationid: requestId(4), actor: socialWorker },
  ),
  'incident.recorded.v1': example(
    'incident.recorded.v1',
    {
      incidentId: ids.incident,
      caseId,
      kind: 'missing',
      severity: 'high',
      occurredAt: '2026-02-14T21:30:00Z',
      description: 'Did not come home after school; found by police the next morning at a train station two counties away.',
    },
    { id: eventId(6), source: SOURCES.intervention, time: '2026-02-15T08:47:22.903Z', correlationid: requestId(5), causationid: requestId(5), actor: socialWorker },
  ),
  'risk.assessed.v1': example(
    'risk.assessed.v1',
    {
      assessmentId: ids.assessment,
      caseId,
      riskLevel: 'high',
      extraFamilialHarm: true,
      assessedAt: '2026-04-10T11:00:00+01:00',
      harmOutsideHome: ['exploitation', 'location'],
      rationale: 'Adults are still contacting him and he has been seen at the same station twice since February.',
      childViews: 'He said he owes them money and is scared of what happens if he stops.',
      familyViews: 'His mum said she does not know who he is with at night and wants help to keep him home.',
    },
    { id: eventId(7), source: SOURCES.intervention, time: '2026-04-10T10:15:49.260Z', correlationid: requestId(6), causationid: requestId(6), actor: socialWorker },
  ),
  'closure.requested.v1': example(
    'closure.requested.v1',
    {
      closureRequestId: ids.heldClosure,
      caseId,
      reason: 'support_completed',
      summary: 'Mentoring sessions completed and CAMHS work under way. He is attending school again.',
      requestedAt: '2026-04-20T10:00:00+01:00',
    },
    { id: eventId(8), source: SOURCES.caseClosure, time: '2026-04-20T09:00:01.731Z', correlationid: requestId(7), causationid: requestId(7), actor: socialWorker },
  ),
  'closure.assessed.v1': example(
    'closure.assessed.v1',
    { closureRequestId: ids.heldClosure, caseId, flags, assessedAt: '2026-04-20T10:00:00+01:00' },
    { id: eventId(9), source: SOURCES.projection, time: '2026-04-20T09:00:02.015Z', correlationid: requestId(7), causationid: eventId(8), actor: projection },
  ),
  'closure.held.v1': example(
    'closure.held.v1',
    { closureRequestId: ids.heldClosure, caseId, flags },
    { id: eventId(10), source: SOURCES.caseClosure, time: '2026-04-20T09:00:02.240Z', correlationid: requestId(7), causationid: eventId(9), actor: caseClosure },
  ),
  'closure.rejected.v1': example(
    'closure.rejected.v1',
    {
      closureRequestId: ids.heldClosure,
      caseId,
      rejectedBy: supervisor.sub,
      rationale: 'Risk from the older boys is still high. Keep the case open, add a police safeguarding referral and review in six weeks.',
    },
    { id: eventId(11), source: SOURCES.caseClosure, time: '2026-04-21T13:05:37.664Z', correlationid: requestId(8), causationid: requestId(8), actor: supervisor },
  ),
  'case.closed.v1': example(
    'case.closed.v1',
    {
      caseId,
      closureRequestId: ids.approvedClosure,
      reason: 'support_completed',
      closedAt: '2026-07-15T15:00:00+01:00',
      approvedBy: supervisor.sub,
      rationale: 'Risk reassessed as medium in July; the family has moved away from the area where he was exploited and CAMHS will continue.',
    },
    { id: eventId(12), source: SOURCES.caseClosure, time: '2026-07-15T14:02:18.390Z', correlationid: requestId(9), causationid: requestId(9), actor: supervisor },
  ),
  'case.reopened.v1': example(
    'case.reopened.v1',
    { caseId, reason: 'Police found him carrying a knife on 2 September; he needs support again.', reopenedAt: '2026-09-03T09:30:00+01:00' },
    { id: eventId(13), source: SOURCES.caseClosure, time: '2026-09-03T08:31:56.802Z', correlationid: requestId(10), causationid: requestId(10), actor: socialWorker },
  ),
  'record.amended.v1': example(
    'record.amended.v1',
    {
      amendmentId: ids.amendment,
      caseId,
      area,
      recordId: eventId(5),
      recordType: 'intervention.logged.v1',
      field: 'notes',
      text: 'First session at the youth hub. He is being exploited by older boys and owes them money; he wants help to stop.',
      reason: 'The first version said he chose this lifestyle; he is a child being exploited.',
      amendedAt: '2026-01-12T10:04:00Z',
    },
    { id: eventId(21), source: SOURCES.intervention, time: '2026-01-12T10:04:00.318Z', correlationid: requestId(16), causationid: requestId(16), actor: socialWorker },
  ),
  'child.erased.v1': example(
    'child.erased.v1',
    {
      caseId,
      childId,
      area,
      erasedBy: dataProtectionOfficer.sub,
      erasedAt: '2033-02-01T10:00:00Z',
      legalBasis: 'retention_period_ended',
      reason: 'Retention period of the case records ended (retention review RR-2033-014).',
      keyIds: ['7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c19'],
    },
    { id: eventId(20), source: SOURCES.referral, time: '2033-02-01T10:00:00.214Z', correlationid: requestId(15), causationid: requestId(15), actor: dataProtectionOfficer },
  ),
  'alert.raised.v1': example(
    'alert.raised.v1',
    {
      alertId: ids.alert,
      caseId,
      area,
      rule: highRiskFlag.rule,
      severity: highRiskFlag.severity,
      explanation: highRiskFlag.explanation,
      evidence: [...highRiskFlag.evidence],
      raisedAt: '2026-04-20T10:00:00+01:00',
    },
    { id: eventId(14), source: SOURCES.projection, time: '2026-04-20T09:00:02.020Z', correlationid: requestId(7), causationid: eventId(8), actor: projection },
  ),
  'alert.acknowledged.v1': example(
    'alert.acknowledged.v1',
    { alertId: ids.alert, caseId, area, rule: highRiskFlag.rule, acknowledgedBy: supervisor.sub, acknowledgedAt: '2026-04-20T11:42:00+01:00' },
    { id: eventId(15), source: SOURCES.projection, time: '2026-04-20T10:42:00.118Z', correlationid: requestId(11), causationid: requestId(11), actor: supervisor },
  ),
};
