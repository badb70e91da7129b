import { examples } from '@syv/contracts';
import { describe, expect, it } from 'vitest';
import { historyAsOf } from './as-of.js';
import { buildCaseHistory, type HistoryInput } from './history.js';
import { onwardStatus } from './onward.js';
import { isClosed } from './status.js';
import { evaluateClosure } from './index.js';
import { day, ruleStory, thresholds } from '../testing/rule-story.js';

describe('given the events of one case', () => {
  it('when an intervention is recorded late, then it takes its place by the time it was delivered', () => {
    const c = ruleStory();
    c.referral(0);
    const late = c.intervention(10);
    const early = c.intervention(3);
    const h = c.history();
    expect(h.interventions.map((i) => i.eventId)).toEqual([early.id, late.id]);
    expect(h.interventions[0]?.deliveredAt).toEqual(day(3));
  });

  it('when the same event is delivered twice, then it counts once', () => {
    const c = ruleStory();
    c.referral(0);
    c.intervention(1);
    const h = buildCaseHistory([...c.events, ...c.events]);
    expect(h.interventions).toHaveLength(1);
    expect(h.referrals).toHaveLength(1);
  });

  it('when an onward referral starts, then the start is attached to it with its own event id, whichever arrived first', () => {
    const c = ruleStory();
    const made = c.onward(2, 'camhs');
    const start = c.started(30, made.data.onwardReferralId);
    const reversed = buildCaseHistory([...c.events].reverse());
    for (const h of [c.history(), reversed]) {
      expect(h.onwardReferrals).toEqual([expect.objectContaining({ eventId: made.id, agency: 'camhs', started: { eventId: start.id, startedAt: day(30) } })]);
    }
  });

  it('when an onward referral is declined, withdrawn or ended, then the outcome is attached to it, whichever arrived first', () => {
    const c = ruleStory();
    const camhs = c.onward(2, 'camhs');
    const housing = c.onward(3, 'housing');
    const vcs = c.onward(4, 'vcs');
    const declined = c.declined(20, camhs.data.onwardReferralId);
    const withdrawn = c.withdrawn(21, housing.data.onwardReferralId);
    const started = c.started(10, vcs.data.onwardReferralId);
    const ended = c.ended(50, vcs.data.onwardReferralId, 'disengaged');
    const reversed = buildCaseHistory([...c.events].reverse());
    for (const h of [c.history(), reversed]) {
      expect(h.onwardReferrals.map((o) => [o.agency, onwardStatus(o)])).toEqual([
        ['camhs', 'declined'],
        ['housing', 'withdrawn'],
        ['vcs', 'ended'],
      ]);
      expect(h.onwardReferrals[0]?.declined).toEqual({ eventId: declined.id, declinedAt: day(20) });
      expect(h.onwardReferrals[1]?.withdrawn).toEqual({ eventId: withdrawn.id, withdrawnAt: day(21) });
      expect(h.onwardReferrals[2]).toMatchObject({ started: { eventId: started.id }, ended: { eventId: ended.id, endedAt: day(50), outcome: 'disengaged' } });
    }
  });

  it('when the log holds events the rules do not use, then they are passed over', () => {
    const c = ruleStory();
    const r = c.requestClosure(5);
    const held: HistoryInput = { id: '00000000-0000-4000-8000-ffffffffffff', type: 'closure.held.v1', data: { caseId: c.caseId, closureRequestId: r.data.closureRequestId, flags: [] } };
    const h = buildCaseHistory([...c.events, held]);
    expect(h.closureRequests.map((x) => x.eventId)).toEqual([r.id]);
  });

  it('when a referral is recorded, then the case knows its child and area', () => {
    const c = ruleStory('child-42');
    c.referral(0);
    expect(c.history()).toMatchObject({ caseId: c.caseId, childId: 'child-42', area: 'E09000001' });
  });

  it("when another case's event is mixed in, then it refuses rather than merge two children's facts", () => {
    const a = ruleStory();
    const b = ruleStory();
    a.referral(0);
    b.referral(0);
    expect(() => buildCaseHistory([...a.events, ...b.events])).toThrow(/belongs to case/);
  });

  it('when a domain time cannot be read, then it fails naming the event and the field', () => {
    const c = ruleStory();
    c.intervention(1);
    const bad = { ...c.events[0], data: { ...(c.events[0]?.data as object), deliveredAt: 'yesterday' } } as HistoryInput;
    expect(() => buildCaseHistory([bad])).toThrow(new RegExp(`${bad.id}.*deliveredAt`));
  });
});

describe('given a history read as of a date', () => {
  it('when facts are dated after it, then they do not count, and a later start leaves the referral waiting', () => {
    const c = ruleStory();
    c.referral(0);
    c.intervention(5);
    c.intervention(20);
    const made = c.onward(3, 'camhs');
    c.started(40, made.data.onwardReferralId);
    const view = historyAsOf(c.history(), day(10));
    expect(view.interventions).toHaveLength(1);
    expect(view.onwardReferrals[0]?.started).toBeUndefined();
    expect(historyAsOf(c.history(), day(40)).onwardReferrals[0]?.started?.startedAt).toEqual(day(40));
  });

  it("when a referral's outcome is dated after it, then the referral is as it stood: waiting, or started", () => {
    const c = ruleStory();
    const camhs = c.onward(3, 'camhs');
    c.declined(30, camhs.data.onwardReferralId);
    const vcs = c.onward(4, 'vcs');
    c.started(10, vcs.data.onwardReferralId);
    c.ended(60, vcs.data.onwardReferralId);
    expect(historyAsOf(c.history(), day(20)).onwardReferrals.map(onwardStatus)).toEqual(['waiting', 'started']);
    expect(historyAsOf(c.history(), day(30)).onwardReferrals.map(onwardStatus)).toEqual(['declined', 'started']);
    expect(historyAsOf(c.history(), day(60)).onwardReferrals.map(onwardStatus)).toEqual(['declined', 'ended']);
  });

  it('when the case was closed and reopened, then it is open after the reopening and closed between', () => {
    const c = ruleStory();
    c.referral(0);
    const r = c.requestClosure(50);
    c.close(50, r.data.closureRequestId);
    c.reopen(80);
    const h = c.history();
    expect(isClosed(historyAsOf(h, day(49)))).toBe(false);
    expect(isClosed(historyAsOf(h, day(50)))).toBe(true);
    expect(isClosed(historyAsOf(h, day(80)))).toBe(false);
  });
});

describe("given the contracts' example events, full CloudEvents of one case's story", () => {
  const history = buildCaseHistory(Object.values(examples));

  it('when built, then every fact the rules read is placed, at its domain time, with its event id', () => {
    expect(history).toMatchObject({ childId: 'child-7f3a9c21', area: 'E09000001' });
    expect(history.referrals.map((r) => r.concerns)).toEqual([['criminal_exploitation', 'missing_episodes', 'school_exclusion']]);
    expect(history.onwardReferrals[0]).toMatchObject({ agency: 'camhs', started: { startedAt: new Date('2026-03-04T10:30:00Z') } });
    expect(history.riskAssessments[0]?.assessedAt).toEqual(new Date('2026-04-10T10:00:00Z'));
    expect([history.interventions, history.incidents, history.closureRequests, history.closures, history.reopenings].map((l) => l.length)).toEqual([1, 1, 1, 1, 1]);
  });

  it('when the held closure is assessed, then the high risk with harm outside the home and the three months without contact are flagged', () => {
    const request = history.closureRequests[0];
    if (!request) throw new Error('no request');
    const flags = evaluateClosure(history, request.closureRequestId, thresholds());
    expect(flags.map((f) => [f.rule, f.evidence])).toEqual([
      ['CLOSURE_HIGH_RISK', [examples['risk.assessed.v1'].id, request.eventId]],
      ['CLOSURE_NO_RECENT_CONTACT', [examples['intervention.logged.v1'].id, request.eventId]],
    ]);
  });
});
