import { historyAsOf } from './as-of.js';
import type { Flag, Rule } from './flag.js';
import type { CaseHistory, InterventionItem, LabellingFinding, TextField } from './history.js';
import { agencyName, formatDate, humanise, incidentName, listOf, plural } from './words.js';

const MAX_NAMED = 4;

/** What a lexicon matcher reports; the intervention service's `findLabellingLanguage` fits. */
interface LanguageMatch {
  phrase: string;
  position: number;
  suggestion: string;
}

export type LabellingMatcher = (text: string) => readonly LanguageMatch[];

/** A record of the case with free text, as the rule names it. */
interface TextRecord {
  eventId: string;
  /** The record's own id, in the flag's key. */
  id: string;
  /** How an explanation names the record ("the referral from school on 4 March 2024"), worded only when a flag needs it. */
  described: () => string;
  labelling: readonly LabellingFinding[] | undefined;
  /** An intervention's notes keep the flag key and wording they had before other texts were read. */
  intervention?: InterventionItem;
}

/** Every record of the case whose texts were read, kind by kind, each kind in the order it happened. */
function* textRecords(h: CaseHistory): Generator<TextRecord> {
  for (const r of h.referrals) yield { eventId: r.eventId, id: r.referralId, labelling: r.labelling, described: () => `the referral from ${agencyName(r.sourceAgency)} on ${formatDate(r.receivedAt)}` };
  for (const i of h.interventions) yield { eventId: i.eventId, id: i.interventionId, labelling: i.labelling, intervention: i, described: () => `the ${humanise(i.kind)} session by ${agencyName(i.agency)} on ${formatDate(i.deliveredAt)}` };
  for (const i of h.incidents) yield { eventId: i.eventId, id: i.incidentId, labelling: i.labelling, described: () => `the incident (${incidentName(i.kind)}) of ${formatDate(i.occurredAt)}` };
  for (const r of h.riskAssessments) yield { eventId: r.eventId, id: r.assessmentId, labelling: r.labelling, described: () => `the risk assessment of ${formatDate(r.assessedAt)}` };
  for (const o of h.onwardReferrals) {
    yield { eventId: o.eventId, id: o.onwardReferralId, labelling: o.labelling, described: () => `the onward referral to ${agencyName(o.agency)} on ${formatDate(o.referredAt)}` };
    // Its outcome's reason or note: keyed by the outcome's event, as a reopening is.
    const { declined: d, withdrawn: w, ended: e } = o;
    if (d) yield { eventId: d.eventId, id: d.eventId, labelling: d.labelling, described: () => `the refusal by ${agencyName(o.agency)} on ${formatDate(d.declinedAt)}` };
    if (w) yield { eventId: w.eventId, id: w.eventId, labelling: w.labelling, described: () => `the withdrawal of the referral to ${agencyName(o.agency)} on ${formatDate(w.withdrawnAt)}` };
    if (e) yield { eventId: e.eventId, id: e.eventId, labelling: e.labelling, described: () => `the end of the support by ${agencyName(o.agency)} on ${formatDate(e.endedAt)}` };
  }
  for (const c of h.closureRequests) yield { eventId: c.eventId, id: c.closureRequestId, labelling: c.labelling, described: () => `the closure request of ${formatDate(c.requestedAt)}` };
  for (const c of h.closures) yield { eventId: c.eventId, id: c.closureRequestId, labelling: c.labelling, described: () => `the closure of ${formatDate(c.closedAt)}` };
  for (const r of h.reopenings) yield { eventId: r.eventId, id: r.eventId, labelling: r.labelling, described: () => `the reopening of ${formatDate(r.reopenedAt)}` };
}

/** How an explanation names a field. */
const FIELD_WORDS: Record<TextField, string> = {
  notes: 'notes',
  reason: 'reason',
  description: 'description',
  rationale: 'rationale',
  childViews: "child's views",
  familyViews: "family's views",
  summary: 'closing summary',
};

/** The phrases of one field, each once, the first four named with the wording to use instead. */
function named(findings: readonly LabellingFinding[]): string {
  const phrases = [...new Map(findings.map((m) => [m.phrase.toLowerCase(), m])).values()];
  // A flag's explanation is bounded (1,000 characters in the contract); a text full of labels
  // needs rewriting whichever phrases are named first.
  const first = phrases.slice(0, MAX_NAMED).map((m) => `"${m.phrase}" (instead: ${m.suggestion})`);
  const more = phrases.length > MAX_NAMED ? [plural(phrases.length - MAX_NAMED, 'other labelling phrase')] : [];
  return listOf([...first, ...more]);
}

/**
 * LABELLING_LANGUAGE on one record: a flag per field whose text used the lexicon's phrases. The
 * explanation names the field and the phrases, never the text around them: free text stays out of
 * alerts. An intervention's notes keep the key and wording their flag always had.
 */
function recordFlags(r: TextRecord): Flag[] {
  if (!r.labelling || r.labelling.length === 0) return [];
  const byField = new Map<TextField, LabellingFinding[]>();
  for (const f of r.labelling) {
    const field = f.field ?? 'notes';
    byField.set(field, [...(byField.get(field) ?? []), f]);
  }
  return [...byField].map(([field, findings]): Flag => {
    const i = r.intervention;
    if (i && field === 'notes') {
      return {
        rule: 'LABELLING_LANGUAGE',
        severity: 'low',
        explanation: `The notes of the ${humanise(i.kind)} session by ${agencyName(i.agency)} on ${formatDate(i.deliveredAt)} say ${named(findings)}; ask the author to reword the record.`,
        evidence: [r.eventId],
        key: `LABELLING_LANGUAGE:${i.interventionId}`,
      };
    }
    return {
      rule: 'LABELLING_LANGUAGE',
      severity: 'low',
      explanation: `Labelling language in the ${FIELD_WORDS[field]} (field ${field}) of ${r.described()}: ${named(findings)}; ask the author to reword the record.`,
      evidence: [r.eventId],
      key: `LABELLING_LANGUAGE:${r.id}:${field}`,
    };
  });
}

/**
 * LABELLING_LANGUAGE: "reframe the language ... not labelling or judgemental", one flag per record
 * and field whose text uses the lexicon's phrases: notes, referral and onward referral reasons (and
 * the reasons or notes of their refusal, withdrawal or end),
 * incident descriptions, rationales, the child's and the family's views, closing summaries and
 * reopening reasons. It applies to closed cases too, because the record outlives the case.
 */
export function languageFlags(history: CaseHistory): Flag[] {
  const flags: Flag[] = [];
  for (const r of textRecords(history)) flags.push(...recordFlags(r));
  return flags;
}

/** LABELLING_LANGUAGE on the texts one event recorded, as the fold raises it when the event arrives. */
export function eventLanguageFlags(history: CaseHistory, eventId: string): Flag[] {
  for (const r of textRecords(history)) if (r.eventId === eventId) return recordFlags(r);
  return [];
}

/**
 * The rule in the common shape. The lexicon extends per area, so the history carries what its
 * matcher found when each text arrived; thresholds play no part.
 */
export const labellingLanguage: Rule = (history, asOf) => languageFlags(historyAsOf(history, asOf));
