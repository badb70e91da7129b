import { describe, expect, it } from 'vitest';
import { longWaitDaysFor, thresholdsFor } from './for-area.js';
import { loadThresholds } from './load.js';

const config = loadThresholds({
  defaults: { longWaitDays: { housing: 56 } },
  areas: { E09000001: { closureRecentIncidentDays: 21, longWaitDays: { camhs: 21 } }, E09000002: { longWaitDays: { default: 35 } } },
});

describe('given per-area thresholds', () => {
  it('when an area changes one threshold, then it gets that and the defaults for the rest', () => {
    const t = thresholdsFor(config, 'E09000001');
    expect(t.closureRecentIncidentDays).toBe(21);
    expect(t.contactGapDays).toBe(28);
  });

  it('when an area changes CAMHS only, then LONG_WAIT keeps the defaults for the other agencies', () => {
    const t = thresholdsFor(config, 'E09000001');
    expect([longWaitDaysFor(t, 'camhs'), longWaitDaysFor(t, 'housing'), longWaitDaysFor(t, 'school')]).toEqual([21, 56, 42]);
  });

  it("when an area changes the LONG_WAIT default, then agencies with their own number keep it", () => {
    const t = thresholdsFor(config, 'E09000002');
    expect([longWaitDaysFor(t, 'camhs'), longWaitDaysFor(t, 'housing'), longWaitDaysFor(t, 'police')]).toEqual([28, 56, 35]);
  });

  it('when an area has no entry, then it gets the defaults', () => {
    expect(thresholdsFor(config, 'E06000001')).toEqual(config.defaults);
  });
});
