import { describe, expect, it } from 'vitest';
import { thresholdsFor, loadThresholds } from '@syv/area-config';
import { closureRecentIncident } from './closure-recent-incident.js';
import { AREA, day, ruleStory, thresholds } from '../testing/rule-story.js';

// The window is inclusive: an incident exactly 30 days before the request is "within 30 days".
function requestDaysAfterIncident(days: number) {
  const c = ruleStory();
  c.referral(0);
  const incident = c.incident(10, { kind: 'violence_victim', severity: 'high' });
  const request = c.requestClosure(10 + days);
  return { history: c.history(), at: day(10 + days), incident, request };
}

describe('CLOSURE_RECENT_INCIDENT (30 days)', () => {
  it('given an incident 29 days before the request, when assessed, then it fires with the days, the date and the incident', () => {
    const { history, at, incident, request } = requestDaysAfterIncident(29);
    const [flag] = closureRecentIncident(history, at, thresholds());
    expect(flag).toMatchObject({ rule: 'CLOSURE_RECENT_INCIDENT', severity: 'high', evidence: [incident.id, request.id], key: `CLOSURE_RECENT_INCIDENT:${request.data.closureRequestId}` });
    expect(flag?.explanation).toContain('29 days after a high-severity incident (violence against the child) on 14 March 2024');
  });

  it('given an incident exactly 30 days before, when assessed, then it fires (the window includes its last day)', () => {
    const { history, at } = requestDaysAfterIncident(30);
    expect(closureRecentIncident(history, at, thresholds())).toHaveLength(1);
  });

  it('given an incident 31 days before, when assessed, then nothing fires', () => {
    const { history, at } = requestDaysAfterIncident(31);
    expect(closureRecentIncident(history, at, thresholds())).toEqual([]);
  });

  it('given a case closed nine days after a stabbing, when assessed, then it says nine days', () => {
    const { history, at } = requestDaysAfterIncident(9);
    expect(closureRecentIncident(history, at, thresholds())[0]?.explanation).toMatch(/^Closure was requested on 23 March 2024, 9 days after/);
  });

  it('given several incidents in the window, when assessed, then the flag takes the highest severity and cites them all', () => {
    const c = ruleStory();
    const a = c.incident(5, { kind: 'threat', severity: 'low' });
    const b = c.incident(15, { kind: 'missing', severity: 'medium' });
    const request = c.requestClosure(20);
    const [flag] = closureRecentIncident(c.history(), day(20), thresholds());
    expect(flag?.severity).toBe('medium');
    expect(flag?.evidence).toEqual([a.id, b.id, request.id]);
    expect(flag?.explanation).toContain('(2 incidents in the 30 days before)');
  });

  it('given an area that shortens the window to 21 days, when an incident was 25 days before, then it fires elsewhere but not there', () => {
    const config = loadThresholds({ areas: { [AREA]: { closureRecentIncidentDays: 21 } } });
    const { history, at } = requestDaysAfterIncident(25);
    expect(closureRecentIncident(history, at, thresholdsFor(config, 'E09000002'))).toHaveLength(1);
    expect(closureRecentIncident(history, at, thresholdsFor(config, AREA))).toEqual([]);
  });
});
