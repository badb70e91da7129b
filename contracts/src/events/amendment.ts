import { z } from 'zod';
import { areaCode, isoDateTime, requiredText, text, uuid } from '../fields.js';
import { AMENDMENT_REASON_MAX, AMENDMENT_TEXT_MAX } from '../limits.js';

// Emitted by the service that owns a record when its author or a supervisor corrects one of its free
// texts. The record itself never changes (the log is immutable): the correction is a fact of its
// own, sealed under the same child's key, and readers show the corrected text with a marker while
// the auditor's history keeps both versions, with who, when and why.

export const recordAmendedData = z.object({
  amendmentId: uuid().describe('Minted by the service for this correction.'),
  caseId: uuid(),
  area: areaCode(),
  recordId: uuid().describe('The event whose text is corrected (its CloudEvents `id`); an event of the same case, published by the same service.'),
  recordType: z.string().min(1).max(100).describe('The type of that event, e.g. `intervention.logged.v1`.'),
  field: z.string().min(1).max(64).describe('The free-text field corrected, one of the personal texts of `recordType` (e.g. `notes`).'),
  text: text(AMENDMENT_TEXT_MAX).describe('The text as it now reads: it replaces the field as shown; never logged; checked for labelling language. Empty: the field is cleared.'),
  reason: requiredText(AMENDMENT_REASON_MAX).describe('Why it was corrected, in the corrector’s words; never logged.'),
  amendedAt: isoDateTime().describe('When the correction was made.'),
});
export type RecordAmended = z.infer<typeof recordAmendedData>;
