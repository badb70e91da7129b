import { z } from 'zod';
import { closureReasonSchema } from '../enums.js';
import { flagSchema, isoDateTime, requiredText, userId, uuid } from '../fields.js';

// The closure saga: case-closure asks, the projection assesses against the closure rules,
// case-closure closes at once or holds for a supervisor, whose decision closes or rejects.

export const closureRequestedData = z.object({
  closureRequestId: uuid(),
  caseId: uuid(),
  reason: closureReasonSchema,
  summary: requiredText(20_000).describe('Closing summary; never logged.'),
  requestedAt: isoDateTime(),
  requestedBy: userId().optional().describe('Who asked to close the case; they cannot also decide it if it is held.'),
});
export type ClosureRequested = z.infer<typeof closureRequestedData>;

export const closureAssessedData = z.object({
  closureRequestId: uuid(),
  caseId: uuid(),
  flags: z.array(flagSchema).describe('Empty when nothing argues against closing.'),
  assessedAt: isoDateTime().describe('The point in time the rules were evaluated at.'),
});
export type ClosureAssessed = z.infer<typeof closureAssessedData>;

export const closureHeldData = z.object({
  closureRequestId: uuid(),
  caseId: uuid(),
  flags: z.array(flagSchema).min(1).describe('Why a supervisor must decide; a closure without flags is never held.'),
});
export type ClosureHeld = z.infer<typeof closureHeldData>;

export const caseClosedData = z.object({
  caseId: uuid(),
  closureRequestId: uuid(),
  reason: closureReasonSchema,
  closedAt: isoDateTime(),
  approvedBy: userId().optional().describe('The supervisor who approved a held closure.'),
  requestedBy: userId().optional().describe('Who asked to close the case.'),
  rationale: requiredText(5_000).optional().describe('Why the supervisor closed despite the flags.'),
});
export type CaseClosed = z.infer<typeof caseClosedData>;

export const closureRejectedData = z.object({
  closureRequestId: uuid(),
  caseId: uuid(),
  rejectedBy: userId().describe('The supervisor who kept the case open.'),
  requestedBy: userId().optional().describe('Who asked to close the case.'),
  rationale: requiredText(5_000),
});
export type ClosureRejected = z.infer<typeof closureRejectedData>;

export const caseReopenedData = z.object({
  caseId: uuid(),
  reason: requiredText(2_000),
  reopenedAt: isoDateTime(),
});
export type CaseReopened = z.infer<typeof caseReopenedData>;
