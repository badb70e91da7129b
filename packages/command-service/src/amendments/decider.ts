import { accept, reject, type Decision } from '@syv/decider';
import { caseEventDataSchemas, personalFieldsOf, type Actor, type DomainEvent } from '@syv/contracts';
import type { ProblemCode } from '@syv/service-kit';

// A record's free text corrected: a wrong fact, or words that blame the child ("accurately recorded
// in reports and case recording"). The record itself is never changed; the correction is a fact of
// its own (record.amended.v1), published by the service that owns the record, sealed under the same
// child's key, and readers show the corrected text with a marker while the auditor's history keeps
// both versions. Pure: the shell loads the record and says whether its texts were erased.

export type AmendmentEvent = DomainEvent<'record.amended.v1'>;
export type AmendmentRejection = Extract<ProblemCode, 'FORBIDDEN' | 'TEXT_ERASED'>;

/** The record corrected, as the shell found it in the service's own events. */
export interface AmendedRecord {
  id: string;
  type: string;
  caseId: string;
  area: string;
  /** Who recorded it: only they, or a supervisor, may correct it. */
  actor: Actor;
  /**
   * The record's texts were erased with the child's data: a text of it reads as erased, or it was
   * recorded before an erasure of the child. A correction then would write new text about the child
   * under a new key, which that erasure no longer covers.
   */
  erased: boolean;
}

export interface AmendRecord {
  amendmentId: string;
  field: string;
  text: string;
  reason: string;
  by: { sub: string; role: string };
  at: string;
}

/**
 * The fields of a record of this type that can be corrected: its personal texts. A correction is
 * not itself corrected (correct the record again), and a type without texts has none.
 */
export function amendableFields(type: string): readonly string[] {
  return type === 'record.amended.v1' ? [] : personalFieldsOf(type);
}

/**
 * Why a corrected text cannot stand where it goes, or undefined when it can: the record's own field
 * keeps its contract's bounds (a description is at most 5,000 characters however long a correction
 * may be elsewhere), and a text the record must have cannot be cleared.
 */
export function correctedTextProblem(type: string, field: string, text: string): string | undefined {
  const shape = (caseEventDataSchemas as Record<string, { shape: Record<string, { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }> } | undefined>)[type]?.shape;
  const schema = shape?.[field];
  if (!schema) return undefined;
  const parsed = schema.safeParse(text);
  return parsed.success ? undefined : (parsed.error?.issues[0]?.message ?? 'does not fit the field');
}

export function decideAmendment(command: AmendRecord, record: AmendedRecord): Decision<AmendmentEvent, AmendmentRejection> {
  const { by } = command;
  if (by.role !== 'supervisor' && by.sub !== record.actor.sub) {
    return reject('FORBIDDEN', 'Only the worker who wrote this record, or a supervisor, can correct it.');
  }
  if (record.erased) {
    return reject('TEXT_ERASED', "This record's texts were erased with the child's data, so there is nothing to correct.");
  }
  return accept({
    type: 'record.amended.v1',
    data: {
      amendmentId: command.amendmentId,
      caseId: record.caseId,
      area: record.area,
      recordId: record.id,
      recordType: record.type,
      field: command.field,
      text: command.text,
      reason: command.reason,
      amendedAt: command.at,
    },
  });
}
