import { z } from 'zod';
import { findLabellingLanguage } from '@syv/contracts';
import type { LanguageMatcher } from '@syv/area-config';

// Every free text a worker writes is read for labelling and victim-blaming phrases as it is
// recorded, and the answer names them with the wording to use instead. The text is kept as written
// (sealed under the child's key): the suggestion is for the worker, not a refusal.

export const languageFlagSchema = z.object({
  field: z.string().describe('The field of the request the phrase is in, e.g. `notes` or `reason`.'),
  phrase: z.string(),
  position: z.number().int().describe('Zero-based character offset in that field.'),
  matched: z.string().describe('The words as written.'),
  suggestion: z.string(),
});
export type LanguageFlag = z.infer<typeof languageFlagSchema>;

/**
 * The labelling phrases in each named field of a request, in field order then reading order. A
 * write passes its area's matcher (the product's lexicon and the area's own phrases, see
 * `CommandService.languageFlags`); without one, the product's lexicon alone.
 */
export function languageFlagsOf(fields: Readonly<Record<string, string | undefined>>, match: LanguageMatcher = findLabellingLanguage): LanguageFlag[] {
  return Object.entries(fields).flatMap(([field, text]) =>
    text === undefined ? [] : match(text).map((f) => ({ field, phrase: f.phrase, position: f.position, matched: f.matched, suggestion: f.suggestion })),
  );
}
