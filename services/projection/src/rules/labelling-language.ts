import { historyAsOf } from './as-of.js';
import type { Flag, Rule } from './flag.js';
import type { CaseHistory, InterventionItem } from './history.js';
import { agencyName, formatDate, humanise, listOf, plural } from './words.js';

const MAX_NAMED = 4;

/** What a lexicon matcher reports; the intervention service's `findLabellingLanguage` fits. */
interface LanguageMatch {
  phrase: string;
  position: number;
  suggestion: string;
}

export type LabellingMatcher = (text: string) => readonly LanguageMatch[];

/**
 * LABELLING_LANGUAGE: "reframe the language ... not labelling or judgemental", one flag
 * per intervention whose notes use the lexicon's phrases. The explanation names the lexicon's
 * phrase, never the notes around it: notes stay out of alerts. It applies to closed cases too,
 * because the record outlives the case.
 */
export function languageFlags(history: CaseHistory): Flag[] {
  return history.interventions.flatMap(interventionLanguageFlags);
}

/** LABELLING_LANGUAGE on one intervention's notes: a flag when they used the lexicon's phrases. */
export function interventionLanguageFlags(i: InterventionItem): Flag[] {
  if (i.labelling.length === 0) return [];
  const phrases = [...new Map(i.labelling.map((m) => [m.phrase.toLowerCase(), m])).values()];
  // A flag's explanation is bounded (1,000 characters in the contract); a note full of labels
  // needs rewriting whichever phrases are named first.
  const named = phrases.slice(0, MAX_NAMED).map((m) => `"${m.phrase}" (instead: ${m.suggestion})`);
  const more = phrases.length > MAX_NAMED ? [plural(phrases.length - MAX_NAMED, 'other labelling phrase')] : [];
  return [
    {
      rule: 'LABELLING_LANGUAGE',
      severity: 'low',
      explanation: `The notes of the ${humanise(i.kind)} session by ${agencyName(i.agency)} on ${formatDate(i.deliveredAt)} say ${listOf([...named, ...more])}; ask the author to reword the record.`,
      evidence: [i.eventId],
      key: `LABELLING_LANGUAGE:${i.interventionId}`,
    },
  ];
}

/**
 * The rule in the common shape. The lexicon is the intervention service's and extends per area,
 * so the history carries what its matcher found when each note arrived; thresholds play no part.
 */
export const labellingLanguage: Rule = (history, asOf) => languageFlags(historyAsOf(history, asOf));
