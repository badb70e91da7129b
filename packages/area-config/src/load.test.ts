import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadThresholds, parseThresholds } from './load.js';

const defaultFile = readFileSync(new URL('./default-thresholds.json', import.meta.url), 'utf8');

describe('given the default thresholds file', () => {
  it('when loaded, then it holds the default thresholds and no area changes', () => {
    expect(loadThresholds(defaultFile)).toEqual({
      defaults: {
        closureRecentIncidentDays: 30,
        closureShortSupportDays: 84,
        closureNoRecentContactDays: 28,
        rereferralWindowDays: 365,
        slowStartDays: 14,
        contactGapDays: 28,
        supportEndedEarlyDays: 42,
        retentionYearsAfterClosure: 7,
        longWaitDays: { default: 42, camhs: 28 },
        labellingPhrases: [],
      },
      areas: {},
    });
  });
});

describe('given a configuration that changes some thresholds', () => {
  it('when loaded, then what it leaves out keeps the default', () => {
    const config = loadThresholds({ defaults: { slowStartDays: 10, longWaitDays: { housing: 60 } }, areas: { E09000001: { closureRecentIncidentDays: 21 } } });
    expect(config.defaults).toMatchObject({ slowStartDays: 10, contactGapDays: 28, longWaitDays: { default: 42, camhs: 28, housing: 60 } });
    expect(config.areas).toEqual({ E09000001: { closureRecentIncidentDays: 21 } });
  });

  it('when empty, then it is the default thresholds', () => {
    expect(loadThresholds({}).defaults.closureShortSupportDays).toBe(84);
  });
});

describe('given a bad configuration', () => {
  it('when a value is not a whole positive number of days, then the error names the field', () => {
    expect(() => loadThresholds({ areas: { E09000001: { closureRecentIncidentDays: -3 } } })).toThrow('areas.E09000001.closureRecentIncidentDays must be at least 1 day');
    expect(() => loadThresholds({ defaults: { slowStartDays: 2.5 } })).toThrow('defaults.slowStartDays must be a whole number of days');
    expect(() => loadThresholds({ defaults: { contactGapDays: '28' } })).toThrow('defaults.contactGapDays must be a whole number of days');
  });

  it('when the retention period is not a whole number of years from 1 to 100, then the error names the field', () => {
    expect(() => loadThresholds({ areas: { E09000001: { retentionYearsAfterClosure: 0 } } })).toThrow('areas.E09000001.retentionYearsAfterClosure must be at least 1 year');
    expect(() => loadThresholds({ defaults: { retentionYearsAfterClosure: 6.5 } })).toThrow('defaults.retentionYearsAfterClosure must be a whole number of years');
    expect(() => loadThresholds({ defaults: { retentionYearsAfterClosure: 101 } })).toThrow('defaults.retentionYearsAfterClosure must be at most 100 years');
  });

  it('when a threshold name is mistyped, then the error names the key as written', () => {
    expect(parseThresholds({ areas: { E09000001: { closureRecentIncidentDay: 21 } } })).toEqual({
      ok: false,
      issues: [{ field: 'areas.E09000001.closureRecentIncidentDay', message: 'is not a known threshold' }],
    });
  });

  it('when LONG_WAIT names an agency that does not exist, then the error names it', () => {
    expect(() => loadThresholds({ defaults: { longWaitDays: { cahms: 20 } } })).toThrow('defaults.longWaitDays.cahms is not a known threshold');
  });

  it('when an area code is malformed, then the error names it', () => {
    const parsed = parseThresholds({ areas: { 'City of London': { slowStartDays: 7 } } });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.issues[0]?.field).toBe('areas.City of London');
  });

  it('when the text is not JSON, then it says so', () => {
    expect(() => loadThresholds('{ "defaults": ')).toThrow(/is not valid JSON/);
  });

  it('when several fields are bad, then every one is named', () => {
    const parsed = parseThresholds({ defaults: { slowStartDays: 0 }, areas: { E09000001: { contactGapDays: 99999 } } });
    expect(!parsed.ok && parsed.issues.map((i) => i.field)).toEqual(['defaults.slowStartDays', 'areas.E09000001.contactGapDays']);
  });
});

describe('given labelling phrases in a configuration', () => {
  it('when a phrase is too short or has no suggestion, then the error names the field', () => {
    const parsed = parseThresholds({ areas: { E09000001: { labellingPhrases: [{ phrases: ['x'], suggestion: '' }] } } });
    expect(!parsed.ok && parsed.issues.map((i) => i.field)).toEqual(['areas.E09000001.labellingPhrases.0.phrases.0', 'areas.E09000001.labellingPhrases.0.suggestion']);
  });
});
