import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@syv/test-harness';
import { api, postCommand, type LanguageFlag } from './support/http.js';
import { startE2eSystem, type E2eSystem } from './support/system.js';

// An area's own labelling phrases, from the one configuration file every service reads: a phrase
// one area's safeguarding partnership added is flagged when its workers write it, and raised by the
// projection on its cases, and the same words written in another area are neither.

const OWN = 'E09000081';
const OTHER = 'E09000082';
const PHRASE = 'on the radar';
const SUGGESTION = 'name the harm and who is causing it';
const DAY = 86_400_000;
const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();

let sys: E2eSystem;
let urls: { referral: string; intervention: string; projection: string };
let worker: string;
let supervisor: string;


const post = <T>(base: string, path: string, body: unknown) => postCommand<T>(base, path, worker, body);

/** A referral in `area` whose reason uses the phrase, and an intervention whose notes do. */
async function recordIn(area: string): Promise<{ caseId: string; reasonFlags: LanguageFlag[]; notesFlags: LanguageFlag[] }> {
  const referral = await post<{ caseId: string; languageFlags: LanguageFlag[] }>(urls.referral, '/v1/referrals', {
    childId: `child-${randomUUID().slice(0, 8)}`,
    area,
    sourceAgency: 'police',
    concerns: ['criminal_exploitation'],
    riskLevel: 'medium',
    receivedAt: iso(10),
    reason: `He has been ${PHRASE} of the police since the summer.`,
  });
  expect(referral.status).toBe(201);
  const { caseId } = referral.body;
  const intervention = await waitFor(
    async () => {
      const res = await post<{ languageFlags: LanguageFlag[] }>(urls.intervention, `/v1/cases/${caseId}/interventions`, {
        agency: 'social_care',
        kind: 'direct_work',
        deliveredAt: iso(5),
        withChild: true,
        withFamily: true,
        durationMinutes: 45,
        notes: `Mum says he was ${PHRASE} long before anyone offered help.`,
      });
      return res.status === 201 ? res : undefined;
    },
    { what: `the intervention service to know case ${caseId}`, timeoutMs: 30_000 },
  );
  return { caseId, reasonFlags: referral.body.languageFlags, notesFlags: intervention.body.languageFlags };
}

async function labellingFlags(caseId: string, expectSome: boolean): Promise<{ rule: string; explanation: string }[]> {
  return waitFor(
    async () => {
      const res = await api<{ flags: { rule: string; explanation: string }[]; lastContactWithChild: unknown }>(urls.projection, 'GET', `/v1/cases/${caseId}`, { token: supervisor });
      if (res.status !== 200) return undefined;
      const flags = res.body.flags.filter((f) => f.rule === 'LABELLING_LANGUAGE');
      // The intervention has arrived when the summary shows the contact; only then is "none" an answer.
      const arrived = res.body.lastContactWithChild !== null;
      if (expectSome) return flags.length > 0 ? flags : undefined;
      return arrived ? flags : undefined;
    },
    { what: `case ${caseId} in the projection`, timeoutMs: 30_000 },
  );
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'area-config-'));
  const file = join(dir, 'thresholds.json');
  writeFileSync(file, JSON.stringify({ areas: { [OWN]: { labellingPhrases: [{ phrases: [PHRASE], suggestion: SUGGESTION }] } } }));
  sys = await startE2eSystem({ only: ['referral', 'intervention', 'projection'], basePort: 19300, env: { THRESHOLDS_FILE: file } });
  urls = { referral: sys.url('referral'), intervention: sys.url('intervention'), projection: sys.url('projection') };
  worker = await sys.token('social_worker', [OWN, OTHER], 'sw-0081');
  supervisor = await sys.token('supervisor', [OWN, OTHER], 'sup-0081');
});

afterAll(async () => {
  await sys?.stop();
});

describe("an area's own labelling phrase", () => {
  it('is flagged where the area added it, at write time and by the projection, and not in another area', async () => {
    const own = await recordIn(OWN);
    expect(own.reasonFlags).toEqual([expect.objectContaining({ field: 'reason', phrase: PHRASE, suggestion: SUGGESTION })]);
    expect(own.notesFlags).toEqual([expect.objectContaining({ field: 'notes', phrase: PHRASE, suggestion: SUGGESTION })]);

    const other = await recordIn(OTHER);
    expect(other.reasonFlags).toEqual([]);
    expect(other.notesFlags).toEqual([]);

    const raised = await labellingFlags(own.caseId, true);
    expect(raised.some((f) => f.explanation.includes(`"${PHRASE}"`))).toBe(true);
    expect(await labellingFlags(other.caseId, false)).toEqual([]);
  });

  it("asked of the language check with an area, answers by that area's lexicon", async () => {
    const check = async (area: string) => (await post<{ languageFlags: LanguageFlag[] }>(urls.intervention, '/v1/language-checks', { text: `Known to be ${PHRASE}.`, area })).body.languageFlags;
    expect((await check(OWN)).map((f) => f.phrase)).toEqual([PHRASE]);
    expect(await check(OTHER)).toEqual([]);
  });
});
