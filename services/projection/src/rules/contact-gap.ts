import { daysBetween, wholeDaysBetween } from './days.js';
import type { Rule } from './flag.js';
import type { CaseHistory } from './history.js';
import { severityForRisk } from './risk.js';
import { openCaseAt } from './time-context.js';
import { agencyName, formatDate, humanise, plural } from './words.js';

interface GapStart {
  since: Date;
  eventId: string;
  /** Stable per gap: a new gap after new contact gets a new key, so a new alert. */
  anchor: string;
  /** How the explanation names the start of the gap. */
  describe: (days: string) => string;
}

// The gap runs from the last intervention with the child, or from a later reopening: a case
// reopened after months closed starts a fresh clock rather than alerting at once. Before any
// contact and any reopening the silence is SLOW_START's.
function gapStart(view: CaseHistory): GapStart | undefined {
  const contact = view.interventions.filter((i) => i.withChild).at(-1);
  const reopening = view.reopenings.at(-1);
  if (reopening && (!contact || reopening.reopenedAt.getTime() > contact.deliveredAt.getTime())) {
    return {
      since: reopening.reopenedAt,
      eventId: reopening.eventId,
      anchor: reopening.eventId,
      describe: (days) => `The child has not been seen in the ${days} since the case was reopened on ${formatDate(reopening.reopenedAt)}`,
    };
  }
  if (!contact) return undefined;
  return {
    since: contact.deliveredAt,
    eventId: contact.eventId,
    anchor: contact.interventionId,
    describe: (days) =>
      `The child has not been seen for ${days}: the last intervention with the child was ${humanise(contact.kind)} by ${agencyName(contact.agency)} on ${formatDate(contact.deliveredAt)}`,
  };
}

/** CONTACT_GAP. Contact exactly N days ago is in time; the rule fires after that. */
export const contactGap: Rule = (history, asOf, thresholds) => {
  const view = openCaseAt(history, asOf);
  const start = view && gapStart(view);
  if (!view || !start) return [];
  const limit = thresholds.contactGapDays;
  if (daysBetween(start.since, asOf) <= limit) return [];
  return [
    {
      rule: 'CONTACT_GAP',
      severity: severityForRisk(view),
      explanation: `${start.describe(plural(wholeDaysBetween(start.since, asOf), 'day'))}, more than the ${limit} days allowed; arrange contact with the child.`,
      evidence: [start.eventId],
      key: `CONTACT_GAP:${start.anchor}`,
    },
  ];
};
