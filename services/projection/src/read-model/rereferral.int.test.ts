import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casePublisher } from '../testing/case-publisher.js';
import { caseStory, type CaseStory } from '../testing/case-story.js';
import { projectionHarness, waitForApplied, type ProjectionHarness } from '../testing/harness.js';

let h: ProjectionHarness;
let publisher: Awaited<ReturnType<typeof casePublisher>>;
const START = new Date('2023-09-04T09:00:00Z');

beforeAll(async () => {
  h = await projectionHarness('proj_rereferral');
  await h.start();
  publisher = await casePublisher(h.topics.caseEvents);
});
afterAll(async () => {
  await publisher?.close();
  await h?.close();
});

/** A case supported for 100 days and closed cleanly on day 100. */
function closedCase(childId?: string): { story: CaseStory; closedEventId: string } {
  const story = caseStory(START, childId ? { childId } : {});
  story.referral(0, { concerns: ['mental_health'], riskLevel: 'low' });
  for (let d = 1; d <= 99; d += 7) story.intervention(d, { agency: d % 2 ? 'school' : 'social_care' });
  const request = story.requestClosure(100);
  return { story, closedEventId: story.close(100, request.data.closureRequestId).id };
}

async function alertsOf(caseId: string) {
  const { rows } = await h.pool.query(`SELECT rule, evidence, raised_at, explanation FROM projection.alerts WHERE case_id = $1`, [caseId]);
  return rows;
}

describe('REREFERRAL_AFTER_CLOSURE', () => {
  it('flags the earlier closure when the child is referred again four months later, and alerts on the earlier case', async () => {
    const { story: first, closedEventId } = closedCase();
    const again = caseStory(START, { childId: first.childId });
    const referral = again.referral(220, { reReferral: true, sourceAgency: 'police' });
    await publisher.publish(first.events);
    await waitForApplied(h.pool, 'projection', first.events.map((e) => e.id));
    await publisher.publish(again.events);
    await waitForApplied(h.pool, 'projection', again.events.map((e) => e.id));

    const alerts = await alertsOf(first.caseId);
    expect(alerts).toEqual([{ rule: 'REREFERRAL_AFTER_CLOSURE', evidence: [closedEventId, referral.id], raised_at: again.day(220), explanation: expect.stringMatching(/120 days after an earlier case was closed/) }]);
    expect(await alertsOf(again.caseId)).toEqual([]);
    const { rows: flags } = await h.pool.query(`SELECT rule, source, since FROM projection.case_flags WHERE case_id = $1`, [first.caseId]);
    expect(flags).toEqual([{ rule: 'REREFERRAL_AFTER_CLOSURE', source: 'rereferral', since: again.day(220) }]);
  });

  it('raises the same alert when the closure reaches the projection after the later referral', async () => {
    const { story: first } = closedCase();
    const again = caseStory(START, { childId: first.childId });
    again.referral(220);
    await publisher.publish(again.events);
    await waitForApplied(h.pool, 'projection', again.events.map((e) => e.id));
    await publisher.publish(first.events);
    await waitForApplied(h.pool, 'projection', first.events.map((e) => e.id));
    const alerts = await alertsOf(first.caseId);
    expect(alerts.map((a) => [a.rule, a.raised_at])).toEqual([['REREFERRAL_AFTER_CLOSURE', again.day(220)]]);
    const { rows } = await h.pool.query(`SELECT re_referral FROM projection.referrals WHERE case_id = $1`, [again.caseId]);
    expect(rows).toEqual([{ re_referral: true }]);
  });

  it('says nothing about a referral more than a year after the closure, or of another child', async () => {
    const { story: first } = closedCase();
    const muchLater = caseStory(START, { childId: first.childId });
    muchLater.referral(100 + 366);
    const otherChild = caseStory(START);
    otherChild.referral(150);
    await publisher.publish([...first.events, ...muchLater.events, ...otherChild.events]);
    await waitForApplied(h.pool, 'projection', [...first.events, ...muchLater.events, ...otherChild.events].map((e) => e.id));
    expect(await alertsOf(first.caseId)).toEqual([]);
  });
});
