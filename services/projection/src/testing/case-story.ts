import { randomUUID } from 'node:crypto';
import { encodeMessage, makeEvent, SOURCES, type Agency, type CaseEvent, type ClosureReason, type Concern, type EventData, type EventOf, type IncidentKind, type InterventionKind, type RiskLevel, type Source } from '@syv/contracts';
import { createPublisher, type Publisher } from '@syv/messaging';
import { testInfra } from '@syv/test-harness';

// Test support: one child's case written as the command services would publish it, on days
// counted from a start date, so a test reads "day 40" rather than timestamps.

export const DAY_MS = 86_400_000;

export interface CaseStory {
  caseId: string;
  childId: string;
  area: string;
  events: CaseEvent[];
  day(n: number): Date;
  referral(day: number, o?: { concerns?: Concern[]; riskLevel?: RiskLevel; sourceAgency?: Agency; reReferral?: boolean; opens?: boolean }): CaseEvent;
  intervention(day: number, o?: { agency?: Agency; withChild?: boolean; kind?: InterventionKind; notes?: string }): CaseEvent;
  incident(day: number, o?: { kind?: IncidentKind; severity?: RiskLevel }): CaseEvent;
  risk(day: number, riskLevel: RiskLevel, extraFamilialHarm?: boolean): CaseEvent;
  onward(day: number, agency: Agency): EventOf<'onward-referral.made.v1'>;
  started(day: number, onwardReferralId: string): CaseEvent;
  requestClosure(day: number, reason?: ClosureReason): EventOf<'closure.requested.v1'>;
  close(day: number, closureRequestId: string, reason?: ClosureReason): CaseEvent;
  reopen(day: number): CaseEvent;
}

export function caseStory(start: Date, o: { area?: string; childId?: string; caseId?: string } = {}): CaseStory {
  const caseId = o.caseId ?? randomUUID();
  const childId = o.childId ?? `child-${randomUUID().slice(0, 8)}`;
  const area = o.area ?? 'E09000001';
  const correlation = randomUUID();
  const events: CaseEvent[] = [];
  const day = (n: number) => new Date(start.getTime() + n * DAY_MS);
  const iso = (n: number) => day(n).toISOString();
  function add<T extends CaseEvent['type']>(type: T, source: Source, at: number, data: Omit<EventData<T>, 'caseId'>): EventOf<T> {
    const event = makeEvent(type, { ...data, caseId } as EventData<T>, {
      source,
      // Recorded when it happened, as a live system would.
      time: day(at),
      area,
      correlationid: correlation,
      causationid: randomUUID(),
      actor: { sub: 'sw-1', role: 'social_worker' },
    });
    events.push(event as CaseEvent);
    return event;
  }
  return {
    caseId,
    childId,
    area,
    events,
    day,
    referral(at, r = {}) {
      const referralId = randomUUID();
      const e = add('referral.received.v1', SOURCES.referral, at, {
        referralId,
        childId,
        area,
        sourceAgency: r.sourceAgency ?? 'school',
        concerns: r.concerns ?? ['criminal_exploitation'],
        riskLevel: r.riskLevel ?? 'medium',
        receivedAt: iso(at),
        reReferral: r.reReferral ?? false,
      });
      if (r.opens ?? events.length === 1) add('case.opened.v1', SOURCES.referral, at, { childId, area, referralId, openedAt: iso(at) });
      return e;
    },
    intervention(at, i = {}) {
      return add('intervention.logged.v1', SOURCES.intervention, at, {
        interventionId: randomUUID(),
        agency: i.agency ?? 'social_care',
        kind: i.kind ?? 'direct_work',
        deliveredAt: iso(at),
        withChild: i.withChild ?? true,
        withFamily: false,
        durationMinutes: 60,
        notes: i.notes ?? 'Met after school; talked about getting home safely.',
      });
    },
    incident(at, i = {}) {
      return add('incident.recorded.v1', SOURCES.intervention, at, { incidentId: randomUUID(), kind: i.kind ?? 'violence_victim', severity: i.severity ?? 'high', occurredAt: iso(at) });
    },
    risk(at, riskLevel, extraFamilialHarm = false) {
      return add('risk.assessed.v1', SOURCES.intervention, at, { assessmentId: randomUUID(), riskLevel, extraFamilialHarm, assessedAt: iso(at) });
    },
    onward(at, agency) {
      return add('onward-referral.made.v1', SOURCES.referral, at, { onwardReferralId: randomUUID(), agency, reason: 'Low mood since the assault.', referredAt: iso(at) });
    },
    started(at, onwardReferralId) {
      return add('onward-referral.started.v1', SOURCES.referral, at, { onwardReferralId, startedAt: iso(at) });
    },
    requestClosure(at, reason = 'support_completed') {
      return add('closure.requested.v1', SOURCES.caseClosure, at, { closureRequestId: randomUUID(), reason, summary: 'Plan completed.', requestedAt: iso(at) });
    },
    close(at, closureRequestId, reason = 'support_completed') {
      return add('case.closed.v1', SOURCES.caseClosure, at, { closureRequestId, reason, closedAt: iso(at) });
    },
    reopen(at) {
      return add('case.reopened.v1', SOURCES.caseClosure, at, { reason: 'School referred again.', reopenedAt: iso(at) });
    },
  };
}

/** Publishes events as the command services' relays would: keyed by case, structured CloudEvents. */
export async function casePublisher(topic: string): Promise<{ publish(events: readonly CaseEvent[]): Promise<void>; close(): Promise<void> }> {
  const publisher: Publisher = await createPublisher({ brokers: testInfra().kafkaBrokers, clientId: 'projection-test-publisher' });
  return {
    publish: (events) => publisher.publish(topic, events.map(encodeMessage)),
    close: () => publisher.close(),
  };
}
