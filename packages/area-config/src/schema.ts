import { z } from 'zod';
import { AGENCIES, areaCode, type Agency } from '@syv/contracts';

// The rules' thresholds, per area. Every value is a whole number of days (the retention period:
// of years): a threshold of 0 would flag every case and one of decades would silence a rule, so
// both are refused.

const MAX_DAYS = 3650;

const days = z
  .int({ error: 'must be a whole number of days' })
  .min(1, { error: 'must be at least 1 day' })
  .max(MAX_DAYS, { error: `must be at most ${MAX_DAYS} days` });

/** How long a child's record is kept: whole years, at least one, at most a century. */
const MAX_YEARS = 100;
const years = z
  .int({ error: 'must be a whole number of years' })
  .min(1, { error: 'must be at least 1 year' })
  .max(MAX_YEARS, { error: `must be at most ${MAX_YEARS} years` });

const agencyDays = Object.fromEntries(AGENCIES.map((a) => [a, days.optional()])) as Record<Agency, z.ZodOptional<typeof days>>;

/** LONG_WAIT days per agency; `default` covers every agency not named. */
const longWaitDays = z.strictObject({ default: days, ...agencyDays });
const longWaitOverrides = z.strictObject({ default: days.optional(), ...agencyDays });

const fields = {
  /** CLOSURE_RECENT_INCIDENT: an incident this many days before the request or fewer. */
  closureRecentIncidentDays: days,
  /** CLOSURE_SHORT_SUPPORT: support shorter than this on a violence or exploitation case. */
  closureShortSupportDays: days,
  /** CLOSURE_NO_RECENT_CONTACT: no intervention with the child in this many days before the request. */
  closureNoRecentContactDays: days,
  /** REREFERRAL_AFTER_CLOSURE: a new referral this many days after a closure or fewer. */
  rereferralWindowDays: days,
  /** SLOW_START: no intervention with the child more than this many days after the referral. */
  slowStartDays: days,
  /** CONTACT_GAP: no intervention with the child for more than this many days on an open case. */
  contactGapDays: days,
  /** SUPPORT_ENDED_EARLY: another agency's support ended as disengaged this many days after it started, or fewer. */
  supportEndedEarlyDays: days,
  /**
   * Retention: a child's record in the area is erased this many years after the last of the
   * child's cases there closed (none open).
   */
  retentionYearsAfterClosure: years,
};

/**
 * An area's own labelling phrases, added to the product's lexicon (never replacing it): words a
 * local safeguarding partnership has agreed to stop using, each with the wording to use instead.
 */
const labellingPhrase = z.strictObject({
  phrases: z.array(z.string().trim().min(2, { error: 'must be at least 2 characters' }).max(100)).min(1).max(20),
  suggestion: z.string().trim().min(1).max(300),
});
const labellingPhrases = z.array(labellingPhrase).max(200);

export const thresholdsSchema = z.strictObject({ ...fields, longWaitDays, labellingPhrases: labellingPhrases.default([]) });

/** The same fields, each optional: what a configuration changes. */
const thresholdOverridesSchema = z.strictObject({
  ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof fields]: z.ZodOptional<(typeof fields)[K]> },
  longWaitDays: longWaitOverrides.optional(),
  labellingPhrases: labellingPhrases.optional(),
});

/** What a configuration file holds: changes to the default thresholds, for all areas and per area. */
export const thresholdsFileSchema = z.strictObject({
  defaults: thresholdOverridesSchema.optional(),
  /** Keyed by the same local-authority codes events and users' `areas` claims carry. */
  areas: z.record(areaCode(), thresholdOverridesSchema).optional(),
});

export type Thresholds = z.output<typeof thresholdsSchema>;
export type LabellingPhrase = z.infer<typeof labellingPhrase>;
export type ThresholdOverrides = z.infer<typeof thresholdOverridesSchema>;

/** A validated configuration: complete defaults, and what each area changes. */
export interface ThresholdsConfig {
  defaults: Thresholds;
  areas: Record<string, ThresholdOverrides>;
}
