import { describe, expect, it } from 'vitest';
import { type CaseEvent } from '@syv/contracts';
import { createPrng } from '@syv/test-harness';
import { caseStory } from '../testing/case-story.js';
import { mixedLog } from '../testing/mixed-log.js';
import { decodeState, encodeState } from './codec.js';
import { addFlags, clearFlags, replaceFlags, type CaseState } from './case-state.js';
import { childRereferrals, type ChildFacts } from './rereferral.js';
import { foldEvents, type Positioned } from './slice.js';
import { ruleSettingsOf, step } from './step.js';

const settings = ruleSettingsOf();
const START = new Date('2024-03-04T09:00:00Z');

function fold(events: readonly CaseEvent[], from?: CaseState): { state: CaseState; alerts: string[]; assessed: number } {
  let state = from;
  const alerts: string[] = [];
  let assessed = 0;
  for (const event of events) {
    const r = step(state, event, settings);
    state = r.state;
    alerts.push(...r.effects.alerts.map((a) => a.flag.rule));
    if (r.effects.assessment) assessed++;
  }
  if (!state) throw new Error('no events');
  return { state, alerts, assessed };
}

const positioned = (events: readonly CaseEvent[]): Positioned[] => events.map((event, i) => ({ event, at: { topic: 't', partition: 0, offset: String(i) } }));

describe('a case state, event by event', () => {
  it('given facts recorded out of order, when folded, then each sits at its domain time with its evidence id', () => {
    const s = caseStory(START);
    s.referral(0);
    const late = s.intervention(20);
    const early = s.intervention(5);
    const { state } = fold(s.events);
    expect(state.facts.history.interventions.map((i) => i.eventId)).toEqual([early.id, late.id]);
    expect(state.eventCount).toBe(s.events.length);
  });

  it('given notes with labelling language, when folded, then the state keeps what was found and not the notes', () => {
    const s = caseStory(START);
    s.referral(0);
    s.intervention(1, { notes: 'Private detail: she keeps putting herself at risk.' });
    const { state, alerts } = fold(s.events);
    expect(alerts).toContain('LABELLING_LANGUAGE');
    expect(state.facts.history.interventions[0]?.labelling.map((f) => f.phrase)).toEqual(['putting herself at risk']);
    expect(encodeState(state)).not.toContain('Private detail');
  });

  it('given labelling language in a referral reason and in a risk assessment\'s views, when folded, then one flag per record and field names the field, and the state and the alerts keep no text', () => {
    const s = caseStory(START);
    const referral = s.referral(0, { reason: 'Private detail: mum says it is his lifestyle choice.' });
    const risk = s.risk(5, 'high', true, { harmOutsideHome: ['exploitation'], childViews: 'Private detail: I am not in a gang.', familyViews: 'Dad says he is streetwise.' });
    const steps = s.events.map((e, i) => ({ e, i }));
    let state: CaseState | undefined;
    const raised: { key: string; explanation: string; evidence: string[] }[] = [];
    for (const { e } of steps) {
      const r = step(state, e, settings);
      state = r.state;
      raised.push(...r.effects.alerts.filter((a) => a.flag.rule === 'LABELLING_LANGUAGE').map((a) => ({ key: a.flag.key, explanation: a.flag.explanation, evidence: a.flag.evidence })));
    }
    const flags = state!.flags.filter((f) => f.rule === 'LABELLING_LANGUAGE');
    expect(flags.map((f) => [f.key, f.since.toISOString()]).sort()).toEqual(
      [
        [`LABELLING_LANGUAGE:${referral.data.referralId}:reason`, s.day(0).toISOString()],
        [`LABELLING_LANGUAGE:${risk.data.assessmentId}:familyViews`, s.day(5).toISOString()],
      ].sort(),
    );
    expect(raised.map((a) => a.evidence)).toEqual([[referral.id], [risk.id]]);
    expect(raised[0]?.explanation).toMatch(/^Labelling language in the reason \(field reason\) of the referral from school on 4 March 2024: "lifestyle choice"/);
    expect(raised[1]?.explanation).toContain("family's views (field familyViews) of the risk assessment of 9 March 2024");
    const stored = encodeState(state!);
    for (const text of [stored, ...raised.map((a) => a.explanation)]) expect(text).not.toMatch(/Private detail|mum says|Dad says/);
  });

  it("given interventions and risk assessments with and without the child's views, when folded, then the state records each that has them, and an older event without the field reads as not recorded", () => {
    const s = caseStory(START);
    s.referral(0);
    s.intervention(2, { childViews: 'I want to stay at this school.' });
    s.risk(6, 'medium', false, { childViews: '   ' });
    s.intervention(9);
    const { state } = fold(s.events);
    const h = state.facts.history;
    expect(h.interventions.map((i) => i.childViewsRecorded ?? false)).toEqual([true, false]);
    expect(h.riskAssessments[0]).not.toHaveProperty('childViewsRecorded');
    expect(h.riskAssessments[0]).not.toHaveProperty('harmOutsideHome');
    expect(decodeState(encodeState(state)).facts.history.interventions[0]?.childViewsRecorded).toBe(true);
  });

  it('given a closure request, when folded, then it is assessed once, with closure flags since the request', () => {
    const s = caseStory(START);
    s.referral(0, { riskLevel: 'high' });
    s.intervention(3);
    s.requestClosure(10);
    const { state, assessed, alerts } = fold(s.events);
    expect(assessed).toBe(1);
    expect(alerts).toEqual(expect.arrayContaining(['CLOSURE_HIGH_RISK', 'CLOSURE_SHORT_SUPPORT']));
    expect(state.flags.filter((f) => f.source === 'closure').every((f) => f.since.getTime() === s.day(10).getTime())).toBe(true);
  });

  it('given an incident dated before an assessed request that arrives after it, when folded, then the missed flag is added and alerted; not once the request was rejected', () => {
    const s = caseStory(START);
    s.referral(0, { riskLevel: 'low' });
    for (let d = 1; d < 100; d += 7) s.intervention(d, { agency: d % 2 ? 'school' : 'social_care' });
    const request = s.requestClosure(100);
    const assessedCleanly = fold(s.events);
    expect(assessedCleanly.state.flags.filter((f) => f.source === 'closure')).toEqual([]);
    const incident = caseStory(START, { caseId: s.caseId, childId: s.childId }).incident(98, { severity: 'high' });
    const late = fold([incident], assessedCleanly.state);
    expect(late.alerts).toContain('CLOSURE_RECENT_INCIDENT');
    const rejected = { ...incident, id: '00000000-0000-4000-8000-000000000001', type: 'closure.rejected.v1', data: { caseId: s.caseId, closureRequestId: request.data.closureRequestId, rationale: 'Keep it open.', decidedBy: 'sup-1' } } as unknown as CaseEvent;
    const afterReject = fold([rejected, incident], assessedCleanly.state);
    expect(afterReject.alerts).not.toContain('CLOSURE_RECENT_INCIDENT');
  });

  it('given a flag that holds again, when replaced, then it keeps the time it started; cleared, it leaves', () => {
    const flag = { rule: 'CONTACT_GAP' as const, severity: 'medium' as const, explanation: 'x', evidence: ['e'], key: 'CONTACT_GAP:1' };
    const first = replaceFlags([], 'time', [flag], new Date(1));
    const again = replaceFlags(first, 'time', [{ ...flag, explanation: 'y' }], new Date(2));
    expect(again).toEqual([expect.objectContaining({ key: 'CONTACT_GAP:1', explanation: 'y', since: new Date(1) })]);
    expect(replaceFlags(again, 'time', [], new Date(3))).toEqual([]);
    const withLanguage = addFlags(again, 'language', [{ ...flag, rule: 'LABELLING_LANGUAGE', key: 'L:1' }], new Date(4));
    expect(clearFlags(withLanguage, 'time').map((f) => f.key)).toEqual(['L:1']);
  });

  it('given a state, when stored and read back, then it is the same state with its times as dates', () => {
    const { state } = fold(mixedLog(1, 5, START));
    const back = decodeState(encodeState(state));
    expect(back).toEqual(state);
    expect(back.lastRecordedAt).toBeInstanceOf(Date);
  });
});

describe('a slice of events', () => {
  /** The log folded one event at a time, and folded in slices of 1..300 events cut at random. */
  function foldedBothWays(events: readonly CaseEvent[], seed: number) {
    const log = positioned(events);
    const oneByOne = log.reduce((states, p) => new Map([...states, ...foldEvents(states, [p], settings).cases]), new Map<string, CaseState>());
    const rnd = createPrng(seed).next;
    let sliced = new Map<string, CaseState>();
    for (let i = 0; i < log.length; ) {
      const n = 1 + Math.floor(rnd() * 300);
      sliced = new Map([...sliced, ...foldEvents(sliced, log.slice(i, i + n), settings).cases]);
      i += n;
    }
    return { oneByOne, sliced };
  }

  it('given a mixed log, when folded in slices cut anywhere, then every case ends in the state folded one event at a time', () => {
    const { oneByOne, sliced } = foldedBothWays(mixedLog(60, 9, START), 17);
    expect(sliced).toEqual(oneByOne);
  });

  it('given a mixed log with notes corrected later, when folded in slices cut anywhere, then every case ends in the state folded one event at a time', () => {
    const events = mixedLog(60, 11, START, { corrections: true });
    expect(events.filter((e) => e.type === 'record.amended.v1').length, 'the log holds corrections').toBeGreaterThan(20);
    const { oneByOne, sliced } = foldedBothWays(events, 23);
    expect(sliced).toEqual(oneByOne);
  });
});

describe('the re-referral rule over a child', () => {
  it("given a closure followed by referrals on two other cases, when the child's facts come in any order, then the flag names the earliest referral", () => {
    const a = caseStory(START, { childId: 'child-x' });
    a.referral(0);
    const request = a.requestClosure(50);
    const closed = a.close(50, request.data.closureRequestId);
    const b = caseStory(START, { childId: 'child-x' }).referral(90, { sourceAgency: 'police' });
    const c = caseStory(START, { childId: 'child-x' }).referral(70, { sourceAgency: 'school' });
    const referral = (e: CaseEvent) => {
      if (e.type !== 'referral.received.v1') throw new Error('not a referral');
      return { caseId: e.subject, eventId: e.id, referralId: e.data.referralId, sourceAgency: e.data.sourceAgency, receivedAt: new Date(e.data.receivedAt), reReferral: false, cause: { id: e.id, correlationid: e.correlationid }, recordedAt: new Date(e.time) };
    };
    const closure = { eventId: closed.id, caseId: a.caseId, closureRequestId: request.data.closureRequestId, reason: 'support_completed' as const, closedAt: a.day(50) };
    const facts = (referrals: CaseEvent[]): ChildFacts => ({ area: a.area, childId: 'child-x', referrals: [...referrals.map(referral), referral(a.events[0]!)], closures: [closure] });
    const one = childRereferrals(facts([b, c]), ruleSettingsOf().thresholdsFor(a.area));
    const other = childRereferrals(facts([c, b]), ruleSettingsOf().thresholdsFor(a.area));
    expect(one.flags).toEqual(other.flags);
    expect(one.flags).toEqual([expect.objectContaining({ caseId: a.caseId, since: a.day(70) })]);
    expect(one.flags[0]?.flag.evidence).toEqual([closed.id, c.id]);
  });
});
