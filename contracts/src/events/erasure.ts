import { z } from 'zod';
import { erasureLegalBasisSchema } from '../enums.js';
import { areaCode, childId, isoDateTime, productSentence, userId, uuid } from '../fields.js';
import { ERASURE_REASON_MAX } from '../limits.js';

// Emitted by the referral service when a data protection officer erases a child's personal texts in
// an area: the child's data keys are deleted, so every text sealed under them, in every event,
// table, topic and copy, reads as erased from then on. One event per case of the child in the area,
// each with the case as its subject; it holds who, when, why and which keys, and no personal data.

export const childErasedData = z.object({
  caseId: uuid().describe('One case of the child in the area; an erasure records one event per case.'),
  childId: childId(),
  area: areaCode(),
  erasedBy: userId().describe('The data protection officer who asked for the erasure: the `sub` of their token.'),
  erasedAt: isoDateTime().describe("When the child's keys were deleted."),
  legalBasis: erasureLegalBasisSchema.describe('The legal basis of the erasure.'),
  reason: productSentence(ERASURE_REASON_MAX).describe('Why, in words that name no one and hold no personal data (e.g. a reference to the request or order). Not sealed: it stays after the erasure.'),
  keyIds: z.array(uuid()).max(100).describe('The data keys deleted by this erasure; empty when the child had none left (no text was ever sealed for them, or every key was already erased).'),
});
export type ChildErased = z.infer<typeof childErasedData>;
