import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findLabellingLanguage, type CaseEvent } from '@syv/contracts';
import { sealEvent } from '@syv/personal-data';
import { caseStory } from '../testing/case-story.js';
import type { CaseState } from './case-state.js';
import { ruleSettingsOf, step } from './step.js';

const settings = ruleSettingsOf();
const START = new Date('2024-03-04T09:00:00Z');

/** The case folded event by event: its state, and the keys of the alerts raised at each event. */
function fold(events: readonly CaseEvent[]): { state: CaseState; alertsAt: Map<string, string[]> } {
  let state: CaseState | undefined;
  const alertsAt = new Map<string, string[]>();
  for (const event of events) {
    const r = step(state, event, settings);
    state = r.state;
    alertsAt.set(event.id, r.effects.alerts.map((a) => a.flag.key));
  }
  return { state: state!, alertsAt };
}

const languageKeys = (state: CaseState) => state.flags.filter((f) => f.rule === 'LABELLING_LANGUAGE').map((f) => f.key);

describe('a correction of a record\'s text, folded', () => {
  it('given notes flagged for labelling language, when the author corrects them without the phrase, then the flag leaves the case and the other records\' flags stay', () => {
    const s = caseStory(START);
    const referral = s.referral(0, { reason: 'Mum says it is his lifestyle choice.' });
    const session = s.intervention(3, { notes: 'She keeps putting herself at risk.' });
    const before = fold(s.events);
    expect(languageKeys(before.state)).toEqual([`LABELLING_LANGUAGE:${referral.data.referralId}:reason`, `LABELLING_LANGUAGE:${session.data.interventionId}`].sort());

    const amendment = s.amend(10, session, 'notes', 'Older boys are exploiting her; she is frightened of them.');
    const after = fold(s.events);
    expect(languageKeys(after.state)).toEqual([`LABELLING_LANGUAGE:${referral.data.referralId}:reason`]);
    expect(after.state.facts.history.interventions[0]?.labelling).toEqual([]);
    expect(after.alertsAt.get(amendment.id)).toEqual([]);
  });

  it('given a clean description, when it is corrected into words that label the child, then a flag is raised from the correction, with its alert, naming the field', () => {
    const s = caseStory(START);
    s.referral(0);
    const incident = s.incident(2, { description: 'Stabbed in the leg outside the station.' });
    const amendment = s.amend(5, incident, 'description', 'Stabbed outside the station; he is streetwise and knew the risk.');
    const { state, alertsAt } = fold(s.events);
    const flag = state.flags.find((f) => f.key === `LABELLING_LANGUAGE:${incident.data.incidentId}:description`);
    expect(flag?.since.toISOString()).toBe(s.day(5).toISOString());
    expect(flag?.evidence).toEqual([incident.id]);
    expect(flag?.explanation).toMatch(/description \(field description\).*"streetwise"/);
    expect(alertsAt.get(amendment.id)).toEqual([`LABELLING_LANGUAGE:${incident.data.incidentId}:description`]);
  });

  it('given one of two flagged fields corrected, when folded, then only that field\'s flag clears', () => {
    const s = caseStory(START);
    s.referral(0);
    const risk = s.risk(1, 'high', true, { harmOutsideHome: ['exploitation'], rationale: 'He is streetwise.', familyViews: 'Dad says it is his lifestyle choice.' });
    s.amend(4, risk, 'rationale', 'Older teenagers contact him every night.');
    const { state } = fold(s.events);
    expect(languageKeys(state)).toEqual([`LABELLING_LANGUAGE:${risk.data.assessmentId}:familyViews`]);
  });

  it('given two corrections of one text, when folded, then the latest is what counts', () => {
    const s = caseStory(START);
    s.referral(0);
    const session = s.intervention(1, { notes: 'Met at the hub.' });
    s.amend(2, session, 'notes', 'He is streetwise.');
    s.amend(3, session, 'notes', 'Met at the hub; he is scared of the older boys.');
    const { state } = fold(s.events);
    expect(languageKeys(state)).toEqual([]);
  });

  it('given a correction of a record the rules do not read (an allocation note), when folded, then no fact and no flag changes', () => {
    const s = caseStory(START);
    s.referral(0);
    const allocation = s.allocate(1, 'sw-1', { note: 'Handover.' });
    const before = fold(s.events).state;
    s.amend(2, allocation, 'note', 'Handover after the review.');
    const after = fold(s.events).state;
    expect(after.facts).toEqual(before.facts);
    expect(after.flags).toEqual(before.flags);
  });

  it('given the record and its correction sealed as the services write them, when folded, then the findings the correction kept (under its field text) stand for the record\'s field', () => {
    const s = caseStory(START);
    s.referral(0);
    const session = s.intervention(1, { notes: 'Met at the hub.' });
    s.amend(2, session, 'notes', 'He is streetwise, say his teachers.');
    const key = { keyId: randomUUID(), key: randomBytes(32) };
    const sealed = s.events.map((e) => sealEvent(e, key, findLabellingLanguage));
    const amendment = sealed.find((e) => e.type === 'record.amended.v1')!;
    expect(JSON.stringify(amendment)).not.toContain('streetwise, say');
    expect((amendment.data as { labelling?: { field: string }[] }).labelling?.map((f) => f.field)).toEqual(['text']);
    const { state } = fold(sealed);
    expect(state.flags.find((f) => f.key === `LABELLING_LANGUAGE:${session.data.interventionId}`)?.explanation).toMatch(/"streetwise"/);
    expect(state.facts.history.interventions[0]?.labelling).toEqual([{ field: 'notes', phrase: 'streetwise', suggestion: expect.any(String) }]);
  });
});
