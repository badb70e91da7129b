import { DAY_MS } from '../rules/days.js';
import { isWaiting, type CaseHistory } from '../rules/index.js';
import { longWaitDaysFor, type Thresholds } from '@syv/area-config';

/** However quiet a case, the sweep looks at it again within a day, so explanations stay current. */
const AT_LEAST_DAILY_MS = DAY_MS;

/**
 * The first instant after `asOf` at which a time rule could start to fire on this case: the ends
 * of the SLOW_START, CONTACT_GAP and LONG_WAIT windows the history opens. Only a bound on when to
 * look: the rules themselves decide at the sweep, so an instant too early costs a check, never a
 * flag.
 */
export function nextSweepAt(history: CaseHistory, asOf: Date, thresholds: Thresholds): Date {
  const after = (start: Date, days: number) => start.getTime() + days * DAY_MS + 1;
  const candidates: number[] = [asOf.getTime() + AT_LEAST_DAILY_MS];
  const firstReferral = history.referrals[0];
  if (firstReferral) candidates.push(after(firstReferral.receivedAt, thresholds.slowStartDays));
  const contact = history.interventions.filter((i) => i.withChild).at(-1);
  if (contact) candidates.push(after(contact.deliveredAt, thresholds.contactGapDays));
  const reopening = history.reopenings.at(-1);
  if (reopening) candidates.push(after(reopening.reopenedAt, thresholds.contactGapDays));
  for (const o of history.onwardReferrals) if (isWaiting(o)) candidates.push(after(o.referredAt, longWaitDaysFor(thresholds, o.agency)));
  return new Date(Math.min(...candidates.filter((t) => t > asOf.getTime())));
}
