import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@syv/test-harness';
import { api, postCommand, type LanguageFlag } from './support/http.js';
import { startE2eSystem, type E2eSystem } from './support/system.js';

// Narrative and voice on the record, through HTTP only: a referral's reason, what the child and the
// family said, the kinds of harm outside the home. Each text is read for labelling language when it
// is written (the answer names the field) and again by the projection (LABELLING_LANGUAGE names the
// field and the phrase, never the text); the case shows when the child's views were last recorded.
// A text that blamed the child can be corrected by its author: the record then reads as corrected,
// the flag clears, and the history keeps both versions.

const AREA = 'E09000001';
const DAY = 86_400_000;
const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();
const REASON = 'Private detail: found in another town twice; school calls it a lifestyle choice.';

let sys: E2eSystem;
let urls: { referral: string; intervention: string; projection: string };
let worker: string;
let supervisor: string;
let auditor: string;


const post = <T>(base: string, path: string, body: unknown) => postCommand<T>(base, path, worker, body);

/** A new child referred by the police as at high risk of exploitation, `daysAgo` days ago. */
const referHighRisk = (daysAgo: number) =>
  post<{ caseId: string }>(urls.referral, '/v1/referrals', {
    childId: `child-${randomUUID().slice(0, 8)}`,
    area: AREA,
    sourceAgency: 'police',
    concerns: ['criminal_exploitation'],
    riskLevel: 'high',
    receivedAt: iso(daysAgo),
  });

/** A write on the case once the intervention service's case view knows it. */
async function onCase<T>(caseId: string, path: string, body: unknown): Promise<{ status: number; body: T }> {
  return waitFor(
    async () => {
      const res = await post<T>(urls.intervention, `/v1/cases/${caseId}${path}`, body);
      return res.status === 404 ? undefined : res;
    },
    { what: `the intervention service to know case ${caseId}`, timeoutMs: 30_000 },
  );
}

beforeAll(async () => {
  sys = await startE2eSystem({ only: ['referral', 'intervention', 'projection'], basePort: 19500 });
  urls = { referral: sys.url('referral'), intervention: sys.url('intervention'), projection: sys.url('projection') };
  worker = await sys.token('social_worker', [AREA], 'sw-narrative');
  supervisor = await sys.token('supervisor', [AREA], 'sup-narrative');
  auditor = await sys.token('auditor', [AREA], 'aud-narrative');
});

afterAll(async () => {
  await sys?.stop();
});

describe('narrative and voice on the record', () => {
  it('a referral reason saying "lifestyle choice" is flagged on field reason when written, and the projection raises LABELLING_LANGUAGE for it without the text', async () => {
    const referral = await post<{ caseId: string; languageFlags: LanguageFlag[] }>(urls.referral, '/v1/referrals', {
      childId: `child-${randomUUID().slice(0, 8)}`,
      area: AREA,
      sourceAgency: 'school',
      concerns: ['criminal_exploitation'],
      riskLevel: 'medium',
      receivedAt: iso(20),
      reason: REASON,
    });
    expect(referral.status).toBe(201);
    expect(referral.body.languageFlags).toEqual([{ field: 'reason', phrase: 'lifestyle choice', position: REASON.indexOf('lifestyle choice'), matched: 'lifestyle choice', suggestion: expect.any(String) }]);
    const { caseId } = referral.body;

    const flag = await waitFor(
      async () => {
        const res = await api<{ flags: { rule: string; explanation: string; evidence: string[] }[] }>(urls.projection, 'GET', `/v1/cases/${caseId}`, { token: supervisor });
        return res.status === 200 ? res.body.flags.find((f) => f.rule === 'LABELLING_LANGUAGE') : undefined;
      },
      { what: `LABELLING_LANGUAGE on case ${caseId}`, timeoutMs: 30_000 },
    );
    expect(flag.explanation).toMatch(/reason \(field reason\) of the referral from school .*"lifestyle choice"/);
    expect(flag.explanation).not.toContain('Private detail');

    const record = await api<{ referrals: { reason?: string; languageFlags: LanguageFlag[] }[] }>(urls.projection, 'GET', `/v1/cases/${caseId}/record`, { token: worker });
    expect(record.status).toBe(200);
    expect(record.body.referrals[0]).toMatchObject({ reason: REASON, languageFlags: [{ field: 'reason', phrase: 'lifestyle choice' }] });
  });

  it("the child's views and the kinds of harm outside the home reach the case summary; kinds that contradict the yes/no are refused naming the field", async () => {
    const referral = await referHighRisk(15);
    expect(referral.status).toBe(201);
    const { caseId } = referral.body;

    const deliveredAt = iso(6);
    const session = await onCase<{ languageFlags: LanguageFlag[] }>(caseId, '/interventions', {
      agency: 'social_care',
      kind: 'direct_work',
      deliveredAt,
      withChild: true,
      withFamily: true,
      durationMinutes: 45,
      notes: 'Met at home with his mum.',
      childViews: 'I want to go back to college.',
      familyViews: 'Mum says he is streetwise now.',
    });
    expect(session.status).toBe(201);
    expect(session.body.languageFlags.map((f) => [f.field, f.phrase])).toEqual([['familyViews', 'streetwise']]);

    const contradiction = await onCase<{ code: string; errors: { field: string }[] }>(caseId, '/risk-assessments', {
      riskLevel: 'high',
      extraFamilialHarm: false,
      harmOutsideHome: ['exploitation'],
      assessedAt: iso(4),
    });
    expect(contradiction.status).toBe(400);
    expect(contradiction.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'body.harmOutsideHome' }] });

    const assessed = await onCase<{ assessmentId: string; languageFlags: LanguageFlag[] }>(caseId, '/risk-assessments', {
      riskLevel: 'high',
      harmOutsideHome: ['exploitation', 'location'],
      assessedAt: iso(4),
      rationale: 'Older teenagers keep contacting him.',
    });
    expect(assessed.status).toBe(201);
    expect(assessed.body.languageFlags).toEqual([]);

    const summary = await waitFor(
      async () => {
        const res = await api<{ harmOutsideHome: string[] | null; extraFamilialHarm: boolean; childViewsLastRecordedAt: string | null }>(urls.projection, 'GET', `/v1/cases/${caseId}`, {
          token: supervisor,
        });
        return res.status === 200 && res.body.harmOutsideHome !== null && res.body.childViewsLastRecordedAt !== null ? res.body : undefined;
      },
      { what: `the narrative of case ${caseId} in the projection`, timeoutMs: 30_000 },
    );
    expect(summary).toMatchObject({ extraFamilialHarm: true, harmOutsideHome: ['exploitation', 'location'] });
    expect(summary.childViewsLastRecordedAt).toBe(deliveredAt);
  });

  it('a text that blamed the child, corrected by its author: the record shows the new text marked as corrected, the flag clears, the history keeps both versions; others are refused', async () => {
    const referral = await referHighRisk(12);
    expect(referral.status).toBe(201);
    const { caseId } = referral.body;
    const written = 'Met at the station. He is streetwise and knows what he is doing.';
    const session = await onCase<{ interventionId: string }>(caseId, '/interventions', {
      agency: 'social_care',
      kind: 'direct_work',
      deliveredAt: iso(5),
      withChild: true,
      withFamily: false,
      durationMinutes: 30,
      notes: written,
    });
    expect(session.status).toBe(201);
    type Flag = { rule: string; evidence: string[] };
    const summary = () => api<{ flags: Flag[] }>(urls.projection, 'GET', `/v1/cases/${caseId}`, { token: supervisor });
    const flag = await waitFor(async () => (await summary()).body.flags?.find((f) => f.rule === 'LABELLING_LANGUAGE'), { what: `LABELLING_LANGUAGE on case ${caseId}`, timeoutMs: 30_000 });
    const recordId = flag.evidence[0]!;

    const correction = { field: 'notes', text: 'Met at the station. Older boys are exploiting him; he is scared of them.', reason: 'The first version blamed him for being exploited.' };
    const path = `/v1/records/${recordId}/amendments`;
    const other = await sys.token('social_worker', [AREA], 'sw-not-the-author');
    expect((await postCommand<{ code: string }>(urls.intervention, path, other, correction)).body).toMatchObject({ code: 'FORBIDDEN' });
    const elsewhere = await sys.token('supervisor', ['E09000002'], 'sup-elsewhere');
    expect((await postCommand<{ code: string }>(urls.intervention, path, elsewhere, correction)).status).toBe(404);
    expect((await postCommand<{ code: string }>(urls.referral, path, worker, correction)).status).toBe(404);
    const wrongField = await postCommand<{ code: string; errors: { field: string }[] }>(urls.intervention, path, worker, { ...correction, field: 'description' });
    expect(wrongField.status).toBe(400);
    expect(wrongField.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'body.field' }] });

    const corrected = await postCommand<{ amendmentId: string; recordId: string; languageFlags: LanguageFlag[] }>(urls.intervention, path, worker, correction);
    expect(corrected.status).toBe(201);
    expect(corrected.body).toMatchObject({ recordId, field: 'notes', languageFlags: [] });

    await waitFor(async () => ((await summary()).body.flags.some((f) => f.rule === 'LABELLING_LANGUAGE') ? undefined : true), { what: `LABELLING_LANGUAGE to clear on case ${caseId}`, timeoutMs: 30_000 });
    type Shown = { eventId: string; notes: string; languageFlags: LanguageFlag[]; corrections: { field: string; amendedBy: string; reason: string }[] };
    const record = await api<{ interventions: Shown[] }>(urls.projection, 'GET', `/v1/cases/${caseId}/record`, { token: supervisor });
    expect(record.body.interventions).toEqual([
      expect.objectContaining({ eventId: recordId, notes: correction.text, languageFlags: [], corrections: [expect.objectContaining({ field: 'notes', amendedBy: 'sw-narrative', reason: correction.reason })] }),
    ]);

    type Event = { id: string; type: string; actor: { sub: string }; data: Record<string, unknown> };
    const history = await api<{ events: Event[] }>(urls.projection, 'GET', `/v1/cases/${caseId}/events`, { token: auditor });
    expect(history.body.events.find((e) => e.id === recordId)?.data.notes).toBe(written);
    expect(history.body.events.find((e) => e.type === 'record.amended.v1')).toMatchObject({
      actor: { sub: 'sw-narrative' },
      data: { recordId, recordType: 'intervention.logged.v1', field: 'notes', text: correction.text, reason: correction.reason, amendmentId: corrected.body.amendmentId },
    });
  });
});
