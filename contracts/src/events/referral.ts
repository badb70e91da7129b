import { z } from 'zod';
import { agencySchema, concernSchema, riskLevelSchema, supportOutcomeSchema } from '../enums.js';
import { addedText, areaCode, childId, isoDateTime, requiredText, text, userId, uuid } from '../fields.js';
import { REFERRAL_REASON_MAX } from '../limits.js';

// Emitted by the referral service: a child referred, the case that referral opened or joined, the
// worker the case is allocated to, and the onward referrals (CAMHS, housing…) whose wait the
// report's children described.

export const referralReceivedData = z.object({
  referralId: uuid(),
  caseId: uuid().describe('The case the referral joined or opened.'),
  childId: childId(),
  area: areaCode(),
  sourceAgency: agencySchema.describe('Who made the referral.'),
  concerns: z.array(concernSchema).min(1),
  riskLevel: riskLevelSchema.describe('Risk as judged at referral.'),
  receivedAt: isoDateTime(),
  reReferral: z.boolean().describe('True when the child had an earlier case in this area that was closed.'),
  reason: addedText(REFERRAL_REASON_MAX, "Why the child was referred, in the referrer's words."),
});
export type ReferralReceived = z.infer<typeof referralReceivedData>;

export const caseOpenedData = z.object({
  caseId: uuid(),
  childId: childId(),
  area: areaCode(),
  referralId: uuid().describe('The referral that opened the case.'),
  openedAt: isoDateTime(),
});
export type CaseOpened = z.infer<typeof caseOpenedData>;

export const onwardReferralMadeData = z.object({
  onwardReferralId: uuid(),
  caseId: uuid(),
  agency: agencySchema.describe('The agency the child was referred on to.'),
  reason: requiredText(2000),
  referredAt: isoDateTime(),
});
export type OnwardReferralMade = z.infer<typeof onwardReferralMadeData>;

export const onwardReferralStartedData = z.object({
  onwardReferralId: uuid(),
  caseId: uuid(),
  startedAt: isoDateTime().describe('When the receiving agency started working with the child; the wait ends here.'),
});
export type OnwardReferralStarted = z.infer<typeof onwardReferralStartedData>;

// How an onward referral ends: refused by the receiving agency, withdrawn by the referrer, or, once
// started, the agency's support over. Each is the referral's last word: it takes no other.

export const onwardReferralDeclinedData = z.object({
  onwardReferralId: uuid(),
  caseId: uuid(),
  reason: requiredText(2000).describe('Why the receiving agency refused the referral, as it said; never logged nor put in an alert.'),
  declinedAt: isoDateTime().describe('When the receiving agency refused the referral; the child is no longer waiting for it, and still needs that help.'),
});
export type OnwardReferralDeclined = z.infer<typeof onwardReferralDeclinedData>;

export const onwardReferralWithdrawnData = z.object({
  onwardReferralId: uuid(),
  caseId: uuid(),
  reason: requiredText(2000).describe('Why the referrer withdrew the referral; never logged nor put in an alert.'),
  withdrawnAt: isoDateTime().describe('When the referrer withdrew the referral; the child is no longer waiting for it.'),
});
export type OnwardReferralWithdrawn = z.infer<typeof onwardReferralWithdrawnData>;

export const onwardReferralEndedData = z.object({
  onwardReferralId: uuid(),
  caseId: uuid(),
  endedAt: isoDateTime().describe("When the receiving agency's support ended; the length of support runs from the start to here."),
  outcome: supportOutcomeSchema.describe('How it ended: completed, disengaged (the child stopped taking part), moved (out of reach), other.'),
  reason: requiredText(2000).optional().describe('A note on how it ended; absent when none was written. Never logged nor put in an alert.'),
});
export type OnwardReferralEnded = z.infer<typeof onwardReferralEndedData>;

export const caseAllocatedData = z.object({
  caseId: uuid(),
  area: areaCode(),
  allocatedTo: userId().describe('The worker the case is allocated to from now on: the `sub` of their token.'),
  previouslyAllocatedTo: userId().nullable().describe('The worker it was allocated to before, or null when it had none.'),
  allocatedBy: userId().describe('Who allocated it: the worker themselves or a supervisor.'),
  allocatedAt: isoDateTime(),
  note: text(2000).optional().describe('Why, in a few words (e.g. a handover); never shown in logs.'),
});
export type CaseAllocated = z.infer<typeof caseAllocatedData>;
