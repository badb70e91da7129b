import { closureContext, closureKey } from './closure-context.js';
import { wholeDaysBetween } from './days.js';
import type { Flag, Rule } from './flag.js';
import { isWaiting } from './onward.js';
import { agencyName, formatDate, plural } from './words.js';

/**
 * CLOSURE_PENDING_ONWARD_REFERRAL: the child who waited for CAMHS from 11 to 13. One flag
 * per referral still waiting, so each names its agency and its wait.
 */
export const closurePendingOnwardReferral: Rule = (history, asOf) => {
  const ctx = closureContext(history, asOf);
  if (!ctx) return [];
  const { request } = ctx;
  return ctx.view.onwardReferrals
    .filter(isWaiting)
    .map(
      (o): Flag => ({
        rule: 'CLOSURE_PENDING_ONWARD_REFERRAL',
        severity: 'high',
        explanation: `Closure was requested on ${formatDate(request.requestedAt)} while the referral to ${agencyName(o.agency)} made on ${formatDate(o.referredAt)} has not started after ${plural(wholeDaysBetween(o.referredAt, request.requestedAt), 'day')}; make sure the child will still receive it before closing.`,
        evidence: [o.eventId, request.eventId],
        key: closureKey('CLOSURE_PENDING_ONWARD_REFERRAL', request, o.onwardReferralId),
      }),
    );
};
