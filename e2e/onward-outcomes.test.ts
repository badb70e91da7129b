import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@syv/test-harness';
import { api, newKey } from './support/http.js';
import { startE2eSystem, type E2eSystem } from './support/system.js';

// An onward referral's whole life, through HTTP only: CAMHS declines a referral the child had been
// waiting for. The wait is over (LONG_WAIT leaves the case), the child still needs that help
// (ONWARD_REFERRAL_DECLINED is raised, naming CAMHS and the dates, never the reason), and a
// referral to another service resolves it. Facts are dated in the past, so the rules fire as the
// facts arrive, without waiting for the sweep.

const AREA = 'E09000021';
const DAY = 86_400_000;
const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();
const DECLINE_REASON = 'Threshold for a specialist assessment not met; school finds him hard to engage.';

let sys: E2eSystem;
let urls: { referral: string; intervention: string; projection: string };
let worker: string;
let supervisor: string;

interface Flag {
  rule: string;
  explanation: string;
  evidence: string[];
}

async function post<T = Record<string, unknown>>(base: string, path: string, body: unknown): Promise<{ status: number; body: T }> {
  return api<T>(base, 'POST', path, { token: worker, body, headers: { 'idempotency-key': newKey() } });
}

async function summary(caseId: string) {
  return api<{ flags: Flag[]; onwardReferrals: { agency: string; status: string; waitDays: number; declinedAt: string | null; waiting: boolean }[] }>(
    urls.projection,
    'GET',
    `/v1/cases/${caseId}`,
    { token: supervisor },
  );
}

/** Waits until the case's flags are `rules` (sorted). */
async function flagsBecome(caseId: string, rules: string[]): Promise<Flag[]> {
  return waitFor(
    async () => {
      const res = await summary(caseId);
      if (res.status !== 200) return undefined;
      return JSON.stringify(res.body.flags.map((f) => f.rule).sort()) === JSON.stringify(rules) ? res.body.flags : undefined;
    },
    { what: `the flags of case ${caseId} to be ${rules.join(', ') || 'none'}`, timeoutMs: 30_000 },
  );
}

beforeAll(async () => {
  sys = await startE2eSystem({ only: ['referral', 'intervention', 'projection'], basePort: 19700 });
  urls = { referral: sys.url('referral'), intervention: sys.url('intervention'), projection: sys.url('projection') };
  worker = await sys.token('social_worker', [AREA], 'sw-onward');
  supervisor = await sys.token('supervisor', [AREA], 'sup-onward');
});

afterAll(async () => {
  await sys?.stop();
});

describe("an onward referral's outcome", () => {
  it('a CAMHS referral declined stops LONG_WAIT and raises ONWARD_REFERRAL_DECLINED, which a referral to another service resolves', async () => {
    const referral = await post<{ caseId: string }>(urls.referral, '/v1/referrals', {
      childId: `child-${randomUUID().slice(0, 8)}`,
      area: AREA,
      sourceAgency: 'school',
      concerns: ['mental_health'],
      riskLevel: 'medium',
      receivedAt: iso(60),
    });
    expect(referral.status).toBe(201);
    const { caseId } = referral.body;
    const made = await post<{ onwardReferralId: string }>(urls.referral, `/v1/cases/${caseId}/onward-referrals`, { agency: 'camhs', reason: 'Panic attacks since the assault.', referredAt: iso(40) });
    expect(made.status).toBe(201);
    const camhs = made.body.onwardReferralId;

    // A session with the child yesterday: the rules look at the case on that day, 39 days into the CAMHS wait.
    await waitFor(
      async () => {
        const res = await post(urls.intervention, `/v1/cases/${caseId}/interventions`, {
          agency: 'youth_service',
          kind: 'mentoring',
          deliveredAt: iso(1),
          withChild: true,
          withFamily: false,
          durationMinutes: 45,
          notes: 'Walked and talked; he is still waiting to hear from CAMHS.',
        });
        return res.status === 404 ? undefined : res.status;
      },
      { what: `the intervention service to know case ${caseId}`, timeoutMs: 30_000 },
    );
    await flagsBecome(caseId, ['LONG_WAIT']);

    // CAMHS declines; the reason is checked for labelling language as it is written.
    const declined = await post<{ agency: string; languageFlags: { field: string; phrase: string }[] }>(urls.referral, `/v1/onward-referrals/${camhs}/decline`, {
      reason: DECLINE_REASON,
      declinedAt: iso(0.5),
    });
    expect(declined.status).toBe(200);
    expect(declined.body.agency).toBe('camhs');
    expect(declined.body.languageFlags).toEqual([expect.objectContaining({ field: 'reason', phrase: 'hard to engage' })]);

    // The refusal's reason used a labelling phrase: that flag stays with the record; the wait's has gone.
    const flags = (await flagsBecome(caseId, ['LABELLING_LANGUAGE', 'ONWARD_REFERRAL_DECLINED'])).filter((f) => f.rule === 'ONWARD_REFERRAL_DECLINED');
    expect(flags[0]?.explanation).toMatch(/^The referral to CAMHS made on .* was declined on .*; the child still needs that help/);
    expect(flags[0]?.explanation).not.toContain('Threshold');
    const after = await summary(caseId);
    expect(after.body.onwardReferrals).toEqual([expect.objectContaining({ agency: 'camhs', status: 'declined', waiting: false, waitDays: 39 })]);

    const alerts = await api<{ items: { caseId: string; rule: string; explanation: string }[] }>(urls.projection, 'GET', '/v1/alerts', { token: supervisor });
    const ofCase = alerts.body.items.filter((a) => a.caseId === caseId);
    // The alert LONG_WAIT raised stays (an alert is a record); the flag has left the case.
    expect(ofCase.map((a) => a.rule)).toEqual(expect.arrayContaining(['LONG_WAIT', 'ONWARD_REFERRAL_DECLINED']));

    // A declined referral takes no other outcome and does not start.
    const start = await post<{ code: string }>(urls.referral, `/v1/onward-referrals/${camhs}/start`, { startedAt: iso(0.2) });
    expect(start.status).toBe(409);
    expect(start.body.code).toBe('OUTCOME_ALREADY_RECORDED');
    const withdraw = await post<{ code: string }>(urls.referral, `/v1/onward-referrals/${camhs}/withdraw`, { reason: 'No longer needed.', withdrawnAt: iso(0.2) });
    expect(withdraw.status).toBe(409);
    expect(withdraw.body.code).toBe('OUTCOME_ALREADY_RECORDED');

    // The worker refers the child on to the voluntary sector's counselling service: the need is taken elsewhere.
    const elsewhere = await post(urls.referral, `/v1/cases/${caseId}/onward-referrals`, { agency: 'vcs', reason: 'Counselling at the youth hub instead of CAMHS.', referredAt: iso(0.1) });
    expect(elsewhere.status).toBe(201);
    await flagsBecome(caseId, ['LABELLING_LANGUAGE']);
  });
});
