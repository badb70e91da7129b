import { describe, expect, it } from 'vitest';
import { findLabellingLanguage } from '@syv/contracts';
import { buildCaseHistory } from '../rules/index.js';
import { DEFAULT_THRESHOLDS } from '@syv/area-config';
import { caseStory } from '../testing/case-story.js';
import { summariseCase } from './case-summary.js';
import { flagsAsOf } from './flags-as-of.js';

const START = new Date('2024-03-04T10:00:00Z');

describe('summariseCase', () => {
  it('given a case with a CAMHS referral still waiting, when summarised, then support, waits and last contact are counted to asOf', () => {
    const s = caseStory(START);
    s.referral(0);
    s.intervention(2, { agency: 'social_care' });
    s.onward(5, 'camhs');
    s.intervention(20, { agency: 'youth_service', kind: 'mentoring' });
    const summary = summariseCase(buildCaseHistory(s.events), s.events, s.day(40));
    expect(summary).toMatchObject({
      status: 'open',
      supportDays: 38,
      interventions: 2,
      agencies: ['social_care', 'youth_service'],
      onwardReferrals: [{ agency: 'camhs', waitDays: 35, waiting: true, startedAt: null }],
      lastContactWithChild: { daysAgo: 20, agency: 'youth_service', kind: 'mentoring' },
      closure: null,
    });
  });

  it('given an onward referral that has started, when summarised, then its agency counts among the agencies, as CLOSURE_SINGLE_AGENCY counts it', () => {
    const s = caseStory(START);
    s.referral(0);
    s.intervention(2, { agency: 'social_care' });
    const camhs = s.onward(5, 'camhs');
    s.onward(6, 'housing');
    s.started(20, camhs.data.onwardReferralId);
    expect(summariseCase(buildCaseHistory(s.events), s.events, s.day(19)).agencies).toEqual(['social_care']);
    expect(summariseCase(buildCaseHistory(s.events), s.events, s.day(40)).agencies).toEqual(['camhs', 'social_care']);
  });

  it('given a closed case, when summarised later, then support and waits stop at the closure', () => {
    const s = caseStory(START);
    s.referral(0);
    s.intervention(1);
    s.onward(2, 'housing');
    const r = s.requestClosure(30);
    s.close(30, r.data.closureRequestId);
    const summary = summariseCase(buildCaseHistory(s.events), s.events, s.day(90));
    expect(summary).toMatchObject({ status: 'closed', supportDays: 29, closureReason: 'support_completed', onwardReferrals: [{ waitDays: 28, waiting: true }] });
    expect(summary.closure).toMatchObject({ closureRequestId: r.data.closureRequestId, status: 'closed' });
  });

  it('given a date before the closure, when summarised as of then, then the case is open and later facts are not there', () => {
    const s = caseStory(START);
    s.referral(0);
    s.intervention(1);
    s.intervention(25);
    const r = s.requestClosure(30);
    s.close(30, r.data.closureRequestId);
    const summary = summariseCase(buildCaseHistory(s.events), s.events, s.day(10));
    expect(summary).toMatchObject({ status: 'open', interventions: 1, closure: null, closedAt: null });
  });
});

describe("summariseCase: the child's voice and harm outside the home", () => {
  it("given the child's views recorded at a session and later at a risk assessment, when summarised, then childViewsLastRecordedAt is the latest of them as of the summary's date", () => {
    const s = caseStory(START);
    s.referral(0);
    s.intervention(2, { childViews: 'I feel safe at my nan\'s.' });
    s.intervention(5, { familyViews: 'Mum wants him home by nine.' });
    s.risk(9, 'high', true, { childViews: 'They said they know where I live.' });
    s.intervention(12);
    const history = buildCaseHistory(s.events);
    expect(summariseCase(history, s.events, s.day(1)).childViewsLastRecordedAt).toBeNull();
    expect(summariseCase(history, s.events, s.day(6)).childViewsLastRecordedAt).toBe(s.day(2).toISOString());
    expect(summariseCase(history, s.events, s.day(20)).childViewsLastRecordedAt).toBe(s.day(9).toISOString());
  });

  it('given events recorded before views and the kinds of harm could be recorded, when summarised, then the views were never recorded and the kinds are null (not recorded)', () => {
    const s = caseStory(START);
    s.referral(0);
    s.intervention(2);
    s.risk(3, 'high', true);
    const summary = summariseCase(buildCaseHistory(s.events), s.events, s.day(10));
    expect(summary).toMatchObject({ childViewsLastRecordedAt: null, extraFamilialHarm: true, harmOutsideHome: null });
  });

  it('given assessments that named the kinds of harm outside the home, when summarised, then the latest list is shown, an empty one as none', () => {
    const s = caseStory(START);
    s.referral(0);
    s.risk(3, 'high', true, { harmOutsideHome: ['exploitation', 'location'] });
    s.risk(8, 'medium', false, { harmOutsideHome: [] });
    const history = buildCaseHistory(s.events);
    expect(summariseCase(history, s.events, s.day(5))).toMatchObject({ extraFamilialHarm: true, harmOutsideHome: ['exploitation', 'location'] });
    expect(summariseCase(history, s.events, s.day(10))).toMatchObject({ extraFamilialHarm: false, harmOutsideHome: [] });
  });
});

describe('flagsAsOf', () => {
  it('given a case that waited for CAMHS and then had a closure rejected, when asked at three dates, then it gives the flags of each date', () => {
    const s = caseStory(START);
    s.referral(0, { concerns: ['mental_health'], riskLevel: 'low' });
    s.intervention(1, { notes: 'She is putting herself at risk.' });
    s.onward(2, 'camhs');
    for (let d = 8; d <= 50; d += 7) s.intervention(d, { agency: d % 2 ? 'school' : 'social_care' });
    const r = s.requestClosure(52);
    const history = buildCaseHistory(s.events, s.caseId, findLabellingLanguage);
    const at = (day: number) => {
      const summary = summariseCase(history, s.events, s.day(day));
      return flagsAsOf(history, s.day(day), summary.closure, DEFAULT_THRESHOLDS, []).map((f) => f.rule);
    };
    expect(at(0.5)).toEqual([]);
    expect(at(20)).toEqual(['LABELLING_LANGUAGE']);
    expect(at(31)).toEqual(['LONG_WAIT', 'LABELLING_LANGUAGE']);
    expect(at(52)).toEqual(['CLOSURE_PENDING_ONWARD_REFERRAL', 'LONG_WAIT', 'LABELLING_LANGUAGE']);
    expect(r.data.closureRequestId).toBeDefined();
  });
});
