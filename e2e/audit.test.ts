import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '@syv/launcher';
import { waitFor } from '@syv/test-harness';
import type { ReplayView } from '../services/projection/src/audit/replay-view.js';
import { api } from './support/http.js';
import { startE2eSystem, type E2eSystem } from './support/system.js';

// Through HTTP only, all four services against real Kafka and PostgreSQL: the whole
// history, a case as it was, the access log, and a replay of the whole log into a shadow read
// model that must end equal to the live one. A second projection instance runs with the replay's
// fault injection on, so a replay started there must differ and say where.

const AREA = 'E09000021';
const DAY = 86_400_000;
const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();
const child = () => `child-${randomUUID().slice(0, 8)}`;

let sys: E2eSystem;
let faulty: RunningService;
let worker: string;
let supervisor: string;
let auditor: string;
let urls: { referral: string; intervention: string; closure: string; projection: string };

async function post<T = Record<string, unknown>>(base: string, path: string, body: unknown, token = worker): Promise<T> {
  const res = await api<T>(base, 'POST', path, { token, body });
  if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

async function refer(childId: string, daysAgo: number, o: { concerns?: string[]; riskLevel?: string } = {}): Promise<string> {
  const res = await post<{ caseId: string }>(urls.referral, '/v1/referrals', {
    childId,
    area: AREA,
    sourceAgency: 'school',
    concerns: o.concerns ?? ['criminal_exploitation'],
    riskLevel: o.riskLevel ?? 'medium',
    receivedAt: iso(daysAgo),
  });
  return res.caseId;
}

async function intervene(caseId: string, daysAgo: number, agency = 'social_care', notes = 'Met after school; talked about getting home safely.'): Promise<void> {
  await post(urls.intervention, `/v1/cases/${caseId}/interventions`, {
    agency,
    kind: 'direct_work',
    deliveredAt: iso(daysAgo),
    withChild: true,
    withFamily: false,
    durationMinutes: 60,
    notes,
  });
}

async function eventCount(caseId: string): Promise<number> {
  const res = await api<{ events: unknown[] }>(urls.projection, 'GET', `/v1/cases/${caseId}/events`, { token: supervisor });
  return res.status === 200 ? res.body.events.length : 0;
}

async function closure(caseId: string, minEvents: number): Promise<{ id: string; status: string }> {
  await waitFor(async () => (await eventCount(caseId)) >= minEvents, { what: `case ${caseId} to hold ${minEvents} events`, timeoutMs: 20_000 });
  const { closureRequestId } = await post<{ closureRequestId: string }>(urls.closure, `/v1/cases/${caseId}/closure-requests`, {
    reason: 'support_completed',
    summary: 'Plan completed; the family know who to call.',
  });
  const status = await waitFor(
    async () => {
      const res = await api<{ status: string }>(urls.closure, 'GET', `/v1/closure-requests/${closureRequestId}`, { token: supervisor });
      return res.status === 200 && res.body.status !== 'pending_assessment' ? res.body.status : undefined;
    },
    { what: `closure request ${closureRequestId} to be assessed`, timeoutMs: 30_000 },
  );
  return { id: closureRequestId, status };
}

async function replayUntilDone(base: string, replayId: string): Promise<ReplayView> {
  return waitFor(
    async () => {
      const res = await api<ReplayView>(base, 'GET', `/v1/audit/replays/${replayId}`, { token: auditor });
      return res.status === 200 && !['running', 'cancelling'].includes(res.body.status) ? res.body : undefined;
    },
    { what: `replay ${replayId} to finish`, timeoutMs: 120_000 },
  );
}

/** Every case of the long mixed story, and the one closed after a gap (for asOf). */
const cases: string[] = [];
let closedAfterGap: string;

beforeAll(async () => {
  // The sweep runs often and soon, so the live read model holds what the sweep found at the wall
  // clock as well as what the events gave: the replay has to reproduce both.
  process.env.SWEEP_INTERVAL_MS = '500';
  process.env.SWEEP_QUIET_MS = '2000';
  sys = await startE2eSystem({ basePort: 17000 });
  urls = { referral: sys.url('referral'), intervention: sys.url('intervention'), closure: sys.url('case-closure'), projection: sys.url('projection') };
  worker = await sys.token('social_worker', [AREA], 'sw-1');
  supervisor = await sys.token('supervisor', [AREA], 'sup-1');
  auditor = await sys.token('auditor', [AREA], 'aud-1');
  faulty = await sys.startProjection(17014, 'projection-faulty', {
    REPLAY_FAULT_INJECTION: 'wallclock',
    REPLAY_FAULT_INJECTION_CONFIRM: 'corrupt-replays-on-purpose',
  });
});

afterAll(async () => {
  await sys?.stop();
});

describe('a long mixed story', () => {
  it('is recorded: referrals, weekly work by several agencies, waits, incidents, risk, closures held, approved, rejected, reopened, re-referrals', async () => {
    for (let i = 0; i < 6; i++) {
      const childId = child();
      const caseId = await refer(childId, 120 - i * 5, { riskLevel: i % 2 ? 'high' : 'medium', concerns: i % 3 ? ['criminal_exploitation'] : ['mental_health'] });
      cases.push(caseId);
      let n = 2;
      for (let d = 118 - i * 5; d >= 10 + i * 3; d -= 14) {
        await intervene(caseId, d, ['social_care', 'youth_service', 'school'][(d + i) % 3]!, i === 2 && d < 60 ? 'Streetwise and hard to engage.' : undefined);
        n++;
      }
      if (i % 2 === 0) {
        await post(urls.referral, `/v1/cases/${caseId}/onward-referrals`, { agency: 'camhs', reason: 'Panic attacks since the assault.', referredAt: iso(50) });
        n++;
      }
      if (i === 1 || i === 4) {
        await post(urls.intervention, `/v1/cases/${caseId}/incidents`, { kind: 'violence_victim', severity: 'high', occurredAt: iso(12) });
        n++;
      }
      await post(urls.intervention, `/v1/cases/${caseId}/risk-assessments`, { riskLevel: i === 3 ? 'low' : 'high', extraFamilialHarm: i === 5, assessedAt: iso(30) });
      n++;
      if (i === 0) continue; // stays open, for the sweep to find its wait and its gap
      const c = await closure(caseId, n);
      if (c.status === 'held_for_review') {
        const decision = i % 2 ? 'approve' : 'reject';
        await post(urls.closure, `/v1/closure-requests/${c.id}/decision`, { decision, rationale: 'Reviewed with the team and the school this week.' }, supervisor);
        if (decision === 'approve' && i === 5) {
          // Referred again after the closure: a new case, and the closure flagged after the fact.
          await waitFor(async () => (await api<{ status: string }>(urls.projection, 'GET', `/v1/cases/${caseId}`, { token: supervisor })).body.status === 'closed', {
            what: 'the projection to see the case closed',
          });
          cases.push(await refer(childId, 0));
        }
      }
      if (c.status === 'closed' && i === 3) await post(urls.closure, `/v1/cases/${caseId}/reopen`, { reason: 'New concerns from school.' });
    }
    // Closed after a long silence: CONTACT_GAP until the closure.
    closedAfterGap = await refer(child(), 100, { riskLevel: 'low', concerns: ['mental_health'] });
    for (const d of [98, 84, 70, 60]) await intervene(closedAfterGap, d, d % 28 ? 'school' : 'social_care');
    const c = await closure(closedAfterGap, 6);
    if (c.status === 'held_for_review') await post(urls.closure, `/v1/closure-requests/${c.id}/decision`, { decision: 'approve', rationale: 'The family moved away; handed over to their new authority.' }, supervisor);
    cases.push(closedAfterGap);
    await waitFor(async () => (await api<{ status: string }>(urls.projection, 'GET', `/v1/cases/${closedAfterGap}`, { token: supervisor })).body.status === 'closed', {
      what: 'the projection to see the case closed',
      timeoutMs: 30_000,
    });
    // Let the sweep see every case once it went quiet.
    await new Promise((r) => setTimeout(r, 3_500));
    expect(cases.length).toBeGreaterThanOrEqual(7);
  });
});

describe('history', () => {
  it('GET /v1/audit/events pages through every event in log order, with a stable cursor, and filters by type, time and case', async () => {
    type Item = { position: string; event: { id: string; type: string; subject: string; time: string } };
    const pages = async (): Promise<Item[]> => {
      const out: Item[] = [];
      let after: string | null = null;
      do {
        const q: string = after ? `?limit=7&after=${after}` : '?limit=7';
        const res = await api<{ items: Item[]; next: string | null }>(urls.projection, 'GET', `/v1/audit/events${q}`, { token: auditor });
        expect(res.status).toBe(200);
        out.push(...res.body.items);
        after = res.body.next;
      } while (after);
      return out;
    };
    // Paged with a cursor, the history is the same as in one page (asked until nothing moves).
    const all = await waitFor(
      async () => {
        const paged = await pages();
        const whole = await api<{ items: Item[] }>(urls.projection, 'GET', '/v1/audit/events?limit=1000', { token: auditor });
        return JSON.stringify(paged.map((i) => i.event.id)) === JSON.stringify(whole.body.items.map((i) => i.event.id)) ? paged : undefined;
      },
      { what: 'the paged history to equal the whole history', timeoutMs: 10_000 },
    ).catch(async (err: unknown) => {
      const paged = await pages();
      const whole = await api<{ items: Item[] }>(urls.projection, 'GET', '/v1/audit/events?limit=1000', { token: auditor });
      expect(paged.map((i) => `${i.position} ${i.event.type}`)).toEqual(whole.body.items.map((i) => `${i.position} ${i.event.type}`));
      throw err;
    });
    expect(all.length).toBeGreaterThan(50);
    expect(new Set(all.map((i) => i.event.id)).size).toBe(all.length);
    const order = all.map((i) => i.position.split(':').map(Number) as [number, number]);
    for (let k = 1; k < order.length; k++) expect(order[k]![0] * 1e9 + order[k]![1]).toBeGreaterThan(order[k - 1]![0] * 1e9 + order[k - 1]![1]);

    const closures = await api<{ items: Item[] }>(urls.projection, 'GET', '/v1/audit/events?type=closure.requested.v1,case.reopened.v1&limit=1000', { token: auditor });
    expect(closures.body.items.length).toBeGreaterThan(0);
    expect(new Set(closures.body.items.map((i) => i.event.type))).toEqual(new Set(['closure.requested.v1', 'case.reopened.v1']));

    const one = await api<{ items: Item[] }>(urls.projection, 'GET', `/v1/audit/events?caseId=${cases[0]}&limit=1000`, { token: auditor });
    const ofCase = await api<{ events: { id: string }[] }>(urls.projection, 'GET', `/v1/cases/${cases[0]}/events`, { token: auditor });
    expect(one.body.items.map((i) => i.event.id)).toEqual(ofCase.body.events.map((e) => e.id));

    const middle = all[Math.floor(all.length / 2)]!.event.time;
    const later = await api<{ items: Item[] }>(urls.projection, 'GET', `/v1/audit/events?from=${encodeURIComponent(middle)}&limit=1000`, { token: auditor });
    expect(later.body.items.length).toBeGreaterThan(0);
    expect(later.body.items.every((i) => Date.parse(i.event.time) >= Date.parse(middle))).toBe(true);

    const bad = await api<{ errors: { field: string }[] }>(urls.projection, 'GET', '/v1/audit/events?type=nope&after=x', { token: auditor });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field).sort()).toEqual(['query.after', 'query.type[0]']);
    expect((await api(urls.projection, 'GET', '/v1/audit/events', { token: supervisor })).status).toBe(403);
  });

  it('asOf before a closure shows the case open, with the flags it had then', async () => {
    const before = await api<{ status: string; flags: { rule: string }[]; closedAt: string | null }>(urls.projection, 'GET', `/v1/cases/${closedAfterGap}?asOf=${encodeURIComponent(iso(10))}`, {
      token: auditor,
    });
    expect(before.status).toBe(200);
    expect(before.body.status).toBe('open');
    expect(before.body.closedAt).toBeNull();
    // Last seen 60 days ago: 50 days without contact then.
    expect(before.body.flags.map((f) => f.rule)).toContain('CONTACT_GAP');
    const now = await api<{ status: string; flags: { rule: string }[] }>(urls.projection, 'GET', `/v1/cases/${closedAfterGap}`, { token: auditor });
    expect(now.body.status).toBe('closed');
    expect(now.body.flags.map((f) => f.rule)).not.toContain('CONTACT_GAP');
  });
});

describe('replay', () => {
  it('after the long mixed story, rebuilds the read model from offset 0 and matches the live one (one at a time)', async () => {
    const started = await api<ReplayView>(urls.projection, 'POST', '/v1/audit/replays', { token: auditor });
    expect(started.status).toBe(202);
    expect(started.body.eventsTotal).toBeGreaterThan(50);
    const second = await api<{ code: string }>(urls.projection, 'POST', '/v1/audit/replays', { token: auditor });
    expect(second.status).toBe(409);
    expect(second.contentType).toContain('application/problem+json');
    const done = await replayUntilDone(urls.projection, started.body.replayId);
    expect(done).toMatchObject({ status: 'finished', matches: true, differingCases: [], faultInjection: null, percent: 100, etaSeconds: 0 });
    expect(done.eventsDone).toBe(done.eventsTotal);
    expect(done.checksums?.live).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(done.checksums?.replay).toBe(done.checksums?.live);
    expect(done.casesCompared).toBeGreaterThanOrEqual(cases.length);
  });

  it('a deliberately non-deterministic replay (wall clock in the shadow) does not match, naming the differing cases', async () => {
    const started = await api<ReplayView>(faulty.url, 'POST', '/v1/audit/replays', { token: auditor });
    expect(started.status).toBe(202);
    expect(started.body.faultInjection).toBe('wallclock');
    const done = await replayUntilDone(faulty.url, started.body.replayId);
    expect(done.status).toBe('finished');
    expect(done.matches).toBe(false);
    expect(done.checksums?.replay).not.toBe(done.checksums?.live);
    expect(done.differingCases).toEqual(expect.arrayContaining([{ caseId: cases[0], tables: ['cases'] }]));
    // Auditors read everything in their areas: one of another area sees the counts, not the cases.
    const elsewhere = await sys.token('auditor', ['E09000099'], 'aud-elsewhere');
    const seenElsewhere = await api<ReplayView>(faulty.url, 'GET', `/v1/audit/replays/${done.replayId}`, { token: elsewhere });
    expect(seenElsewhere.status).toBe(200);
    expect(seenElsewhere.body.differingCount).toBe(done.differingCount);
    expect(seenElsewhere.body.differingCases).toEqual([]);
    const promote = await api(faulty.url, 'POST', `/v1/audit/replays/${done.replayId}/promote`, { token: auditor, body: { acceptDifferences: true } });
    expect(promote.status).toBe(409);
  });

  it('can be cancelled, and then another can start', async () => {
    const started = await api<ReplayView>(urls.projection, 'POST', '/v1/audit/replays', { token: auditor });
    expect(started.status).toBe(202);
    const cancelled = await api<ReplayView>(urls.projection, 'POST', `/v1/audit/replays/${started.body.replayId}/cancel`, { token: auditor });
    expect(cancelled.status).toBe(200);
    const done = await replayUntilDone(urls.projection, started.body.replayId);
    expect(['cancelled', 'finished']).toContain(done.status);
  });

  it('a finished, matching replay is promoted to live while the service keeps answering, and the promoted read model goes on consuming', async () => {
    const started = await api<ReplayView>(urls.projection, 'POST', '/v1/audit/replays', { token: auditor });
    expect(started.status).toBe(202);
    const done = await replayUntilDone(urls.projection, started.body.replayId);
    expect(done.matches).toBe(true);
    const before = await eventCount(cases[0]!);
    await intervene(cases[0]!, 1, 'health');
    const promoted = await api<ReplayView>(urls.projection, 'POST', `/v1/audit/replays/${done.replayId}/promote`, { token: auditor, body: {} });
    expect(promoted.status).toBe(200);
    expect(promoted.body.status).toBe('promoted');
    await waitFor(async () => (await eventCount(cases[0]!)) === before + 1, { what: 'the promoted read model to hold the new event', timeoutMs: 20_000 });
    await intervene(cases[0]!, 0, 'school');
    await waitFor(async () => (await eventCount(cases[0]!)) === before + 2, { what: 'the promoted read model to go on consuming', timeoutMs: 20_000 });
    // And it still proves equal to a fresh rebuild.
    const again = await api<ReplayView>(urls.projection, 'POST', '/v1/audit/replays', { token: auditor });
    expect((await replayUntilDone(urls.projection, again.body.replayId)).matches).toBe(true);
  });
});

describe('who may do what', () => {
  it('an auditor cannot write anything: every POST of every service answers 403', async () => {
    const caseId = cases[1]!;
    const alerts = await api<{ items: { alertId: string }[] }>(urls.projection, 'GET', '/v1/alerts', { token: supervisor });
    const alertId = alerts.body.items[0]?.alertId ?? randomUUID();
    const writes: [string, string, unknown][] = [
      [urls.referral, '/v1/referrals', { childId: child(), area: AREA, sourceAgency: 'school', concerns: ['mental_health'], riskLevel: 'low', receivedAt: iso(1) }],
      [urls.referral, `/v1/cases/${caseId}/onward-referrals`, { agency: 'camhs', reason: 'Assessment.', referredAt: iso(1) }],
      [urls.referral, `/v1/onward-referrals/${randomUUID()}/start`, { startedAt: iso(0) }],
      [urls.intervention, `/v1/cases/${caseId}/interventions`, { agency: 'school', kind: 'direct_work', deliveredAt: iso(1), withChild: true, withFamily: false, durationMinutes: 30, notes: 'Met.' }],
      [urls.intervention, `/v1/cases/${caseId}/incidents`, { kind: 'violence_victim', severity: 'low', occurredAt: iso(1) }],
      [urls.intervention, `/v1/cases/${caseId}/risk-assessments`, { riskLevel: 'low', extraFamilialHarm: false, assessedAt: iso(1) }],
      [urls.closure, `/v1/cases/${caseId}/closure-requests`, { reason: 'support_completed', summary: 'Done.' }],
      [urls.closure, `/v1/closure-requests/${randomUUID()}/decision`, { decision: 'approve', rationale: 'Fine.' }],
      [urls.closure, `/v1/cases/${caseId}/reopen`, { reason: 'New concerns.' }],
      [urls.projection, `/v1/alerts/${alertId}/acknowledge`, {}],
    ];
    for (const [base, path, body] of writes) {
      const res = await api(base, 'POST', path, { token: auditor, body });
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
  });

  it('a social worker or a supervisor cannot replay, see replays or the audit history', async () => {
    for (const token of [worker, supervisor]) {
      expect((await api(urls.projection, 'POST', '/v1/audit/replays', { token })).status).toBe(403);
      expect((await api(urls.projection, 'GET', '/v1/audit/replays', { token })).status).toBe(403);
      expect((await api(urls.projection, 'GET', '/v1/audit/access-log', { token })).status).toBe(403);
    }
  });
});

describe('access log', () => {
  it('records every read of a case (summary, as of, events, history) and lists it by case and by user', async () => {
    const caseId = cases[3]!;
    const reader = await sys.token('supervisor', [AREA], `sup-${randomUUID().slice(0, 6)}`);
    await api(urls.projection, 'GET', `/v1/cases/${caseId}`, { token: reader });
    await api(urls.projection, 'GET', `/v1/cases/${caseId}?asOf=${encodeURIComponent(iso(5))}`, { token: reader });
    await api(urls.projection, 'GET', `/v1/cases/${caseId}/events`, { token: reader });
    await api(urls.projection, 'GET', `/v1/audit/events?caseId=${caseId}`, { token: auditor });

    type Entry = { user: string; role: string; caseId: string; action: string; at: string };
    const byCase = await api<{ items: Entry[] }>(urls.projection, 'GET', `/v1/audit/access-log?caseId=${caseId}&limit=1000`, { token: auditor });
    expect(byCase.status).toBe(200);
    expect(byCase.body.items.every((e) => e.caseId === caseId)).toBe(true);
    const users = new Set(byCase.body.items.map((e) => e.user));
    expect(users.has('aud-1')).toBe(true);

    const sub = byCase.body.items.find((e) => e.role === 'supervisor' && e.user.startsWith('sup-') && e.user !== 'sup-1')?.user;
    expect(sub).toBeDefined();
    const byUser = await api<{ items: Entry[] }>(urls.projection, 'GET', `/v1/audit/access-log?user=${sub}`, { token: auditor });
    expect(byUser.body.items.map((e) => e.action)).toEqual(['summary', 'summary_as_of', 'events']);
    expect(byUser.body.items.every((e) => e.caseId === caseId && e.user === sub)).toBe(true);
    const auditorReads = await api<{ items: Entry[] }>(urls.projection, 'GET', `/v1/audit/access-log?user=aud-1&caseId=${caseId}`, { token: auditor });
    expect(auditorReads.body.items.map((e) => e.action)).toContain('audit_events');
  });
});
