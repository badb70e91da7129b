import { z } from 'zod';
import { agencySchema, concernSchema, riskLevelSchema } from '../enums.js';
import { areaCode, childId, isoDateTime, requiredText, text, userId, uuid } from '../fields.js';

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
