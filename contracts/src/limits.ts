// The bounds a command route puts on a field it turns into event data. Where one is stricter than
// the event schema, the schema keeps its wider bound on purpose: it must still read every event
// already published, and narrowing it could make one of them unreadable. New events are written
// within these bounds, so a route takes them from here, never from a number of its own, and
// `route-limits.test.ts` fails when a route's field and its event field disagree.

/** The longest notes an intervention takes, and so the longest text the language check reads. */
export const INTERVENTION_NOTES_MAX = 10_000;
/** The longest intervention: one day. */
export const INTERVENTION_MINUTES_MAX = 24 * 60;
/** The shortest intervention recorded: a contact of no duration is not an intervention. */
export const INTERVENTION_MINUTES_MIN = 1;
/** The most concerns a referral names; each at most once. */
export const REFERRAL_CONCERNS_MAX = 10;

/** The longest reason a referral gives, in the referrer's words. */
export const REFERRAL_REASON_MAX = 5_000;
/** The longest reason a data protection officer gives for an erasure (a product text: no personal data). */
export const ERASURE_REASON_MAX = 500;
/** The longest description of an incident. */
export const INCIDENT_DESCRIPTION_MAX = 5_000;
/** The longest rationale of a risk assessment. */
export const RISK_RATIONALE_MAX = 5_000;
/** The longest account of what the child, or the family, said (childViews, familyViews). */
export const VIEWS_MAX = 5_000;
/** The longest corrected text: the longest free text any record takes (an intervention's notes). */
export const AMENDMENT_TEXT_MAX = INTERVENTION_NOTES_MAX;
/** The longest reason given for a correction. */
export const AMENDMENT_REASON_MAX = 1_000;

/**
 * Per event type, the fields whose route bounds are stricter than the event schema's, as JSON
 * Schema keywords; any other field a route takes has exactly the event schema's bounds.
 */
export const NEW_EVENT_LIMITS: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, number>>>>>> = {
  'intervention.logged.v1': { notes: { maxLength: INTERVENTION_NOTES_MAX }, durationMinutes: { minimum: INTERVENTION_MINUTES_MIN } },
  'referral.received.v1': { concerns: { maxItems: REFERRAL_CONCERNS_MAX } },
};
