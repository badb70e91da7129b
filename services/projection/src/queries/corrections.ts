import { personalFieldsOf, type CaseEvent, type EventOf } from '@syv/contracts';
import { labellingAt, matcherOf, type LabellingMatcher, type TextField } from '../rules/index.js';

/** A correction of one of a record's texts, as readers mark it: which field, when, by whom and why. */
export interface Correction {
  field: string;
  /** The correction's own event (record.amended), which the auditor's history shows beside the record. */
  amendmentEventId: string;
  amendedAt: string;
  /** The `sub` of who corrected it. */
  amendedBy: string;
  reason: string;
}

type Finding = { field: string; phrase: string; position: number; suggestion: string };

/**
 * A case's events with their corrections applied, for readers that show texts: each correction
 * (record.amended, in log order) replaces its field's text in the record it corrects, and what the
 * labelling check found there with what it found in the new text; the record carries the list of
 * its corrections. The corrections stay in the list, as the auditor reads them. Pure: texts are
 * opened (or shown erased) before this; a correction of an event the list does not hold, or of a
 * field that is not one of its texts, changes nothing.
 */
export function withCorrections(events: readonly CaseEvent[], lexicon: LabellingMatcher): { events: CaseEvent[]; corrections: ReadonlyMap<string, readonly Correction[]> } {
  const amendments = events.filter((e): e is EventOf<'record.amended.v1'> => e.type === 'record.amended.v1');
  if (amendments.length === 0) return { events: [...events], corrections: new Map() };
  const byId = new Map(events.map((e) => [e.id, e]));
  const corrections = new Map<string, Correction[]>();
  for (const a of amendments) {
    const { recordId, field, text, reason, amendedAt } = a.data;
    const target = byId.get(recordId);
    if (!target || !personalFieldsOf(target.type).includes(field)) continue;
    const data = target.data as Record<string, unknown> & { labelling?: Finding[] };
    // What the check found in the record's texts until now: as recorded, or (a record made before
    // texts were sealed) as the area's lexicon reads them.
    const before: Finding[] =
      data.labelling ?? labellingAt(Object.fromEntries(personalFieldsOf(target.type).map((f) => [f, data[f] as string | undefined])) as Partial<Record<TextField, string>>, matcherOf(target, lexicon));
    const found = labellingAt({ [field]: text } as Partial<Record<TextField, string>>, matcherOf(a, lexicon));
    byId.set(recordId, { ...target, data: { ...data, [field]: text, labelling: [...before.filter((f) => f.field !== field), ...found] } } as CaseEvent);
    corrections.set(recordId, [...(corrections.get(recordId) ?? []), { field, amendmentEventId: a.id, amendedAt, amendedBy: a.actor.sub, reason }]);
  }
  return { events: events.map((e) => byId.get(e.id) ?? e), corrections };
}
