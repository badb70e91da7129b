import { z } from 'zod';
import type { EventData, EventType } from './catalog.js';

// The worker's free texts about a child in each event type: what is sealed under the child's key
// when written, and opened (or shown as erased) when read. Everything else in an event is a fact
// the inspection needs (dates, agencies, kinds, flags) and stays readable after an erasure.

type TextFieldsOf<T extends EventType> = { [K in keyof EventData<T>]-?: NonNullable<EventData<T>[K]> extends string ? K : never }[keyof EventData<T>];

export const PERSONAL_TEXT_FIELDS: { readonly [T in EventType]?: readonly TextFieldsOf<T>[] } = {
  'referral.received.v1': ['reason'],
  'case.allocated.v1': ['note'],
  'onward-referral.made.v1': ['reason'],
  'onward-referral.declined.v1': ['reason'],
  'onward-referral.withdrawn.v1': ['reason'],
  'onward-referral.ended.v1': ['reason'],
  'intervention.logged.v1': ['notes', 'childViews', 'familyViews'],
  'incident.recorded.v1': ['description'],
  'risk.assessed.v1': ['rationale', 'childViews', 'familyViews'],
  'closure.requested.v1': ['summary'],
  'case.closed.v1': ['rationale'],
  'closure.rejected.v1': ['rationale'],
  'case.reopened.v1': ['reason'],
  'record.amended.v1': ['text', 'reason'],
  'alert.acknowledged.v1': ['note'],
};

/** The personal free-text fields of an event type (none for most facts). */
export function personalFieldsOf(type: string): readonly string[] {
  return (PERSONAL_TEXT_FIELDS as Record<string, readonly string[] | undefined>)[type] ?? [];
}

/**
 * What the labelling-language check found in an event's texts when they were written, kept beside
 * them: the lexicon's phrase, where, and the wording to use instead, never the words around it. A
 * sealed text can be erased; what the check found stays, so the flags it raised replay the same.
 */
export const labellingFindingsSchema = z
  .array(
    z.object({
      field: z.string().min(1).max(64).describe('The field the phrase is in, e.g. `notes`.'),
      phrase: z.string().min(1).max(100).describe("The lexicon's phrase."),
      position: z.int().min(0).describe('Zero-based character offset in the text as written.'),
      suggestion: z.string().min(1).max(300),
    }),
  )
  .max(500)
  .optional()
  .describe('The labelling phrases found in this event\'s free texts when they were written. Optional: absent in events recorded before texts were sealed, whose texts are read as written.');
export type LabellingFindings = NonNullable<z.infer<typeof labellingFindingsSchema>>;
