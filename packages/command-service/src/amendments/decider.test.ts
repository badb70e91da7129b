import { describe, expect, it } from 'vitest';
import { amendableFields, correctedTextProblem, decideAmendment, type AmendedRecord, type AmendRecord } from './decider.js';

const record: AmendedRecord = {
  id: '6f0c2a9e-41d7-4b3a-9e25-000000000005',
  type: 'intervention.logged.v1',
  caseId: '5b1f3c2e-8a4d-4f6b-9c1e-2d3a4b5c6d01',
  area: 'E09000001',
  actor: { sub: 'sw-author', role: 'social_worker' },
  erased: false,
};

const command = (by: AmendRecord['by'], field = 'notes'): AmendRecord => ({
  amendmentId: 'd4e5f6a7-b8c9-4dae-8f0a-3b4c5d6e7f21',
  field,
  text: 'Older boys are exploiting him.',
  reason: 'The first version blamed him.',
  by,
  at: '2026-01-12T10:04:00.000Z',
});

describe('correcting a text of a record', () => {
  it('given the author, when they correct their notes, then the correction names the record, its type, the field and the case', () => {
    const decision = decideAmendment(command({ sub: 'sw-author', role: 'social_worker' }), record);
    expect(decision).toEqual({
      ok: true,
      events: [
        {
          type: 'record.amended.v1',
          data: {
            amendmentId: 'd4e5f6a7-b8c9-4dae-8f0a-3b4c5d6e7f21',
            caseId: record.caseId,
            area: record.area,
            recordId: record.id,
            recordType: 'intervention.logged.v1',
            field: 'notes',
            text: 'Older boys are exploiting him.',
            reason: 'The first version blamed him.',
            amendedAt: '2026-01-12T10:04:00.000Z',
          },
        },
      ],
    });
  });

  it('given a supervisor who did not write it, when they correct it, then it is accepted', () => {
    expect(decideAmendment(command({ sub: 'sup-1', role: 'supervisor' }), record).ok).toBe(true);
  });

  it('given another social worker, when they try to correct it, then it is refused: only the author or a supervisor may', () => {
    const decision = decideAmendment(command({ sub: 'sw-other', role: 'social_worker' }), record);
    expect(decision).toMatchObject({ ok: false, rejection: { code: 'FORBIDDEN' } });
  });

  it("given the record's texts were erased with the child's data, when the author corrects any of them, even one never written, then it is refused", () => {
    const erased = { ...record, erased: true };
    expect(decideAmendment(command({ sub: 'sw-author', role: 'social_worker' }), erased)).toMatchObject({ ok: false, rejection: { code: 'TEXT_ERASED' } });
    expect(decideAmendment(command({ sub: 'sup-1', role: 'supervisor' }, 'childViews'), erased)).toMatchObject({ ok: false, rejection: { code: 'TEXT_ERASED' } });
  });

  it('what can be corrected: the personal texts of a record, never a correction itself, nothing of a record without texts', () => {
    expect(amendableFields('intervention.logged.v1')).toEqual(['notes', 'childViews', 'familyViews']);
    expect(amendableFields('record.amended.v1')).toEqual([]);
    expect(amendableFields('onward-referral.started.v1')).toEqual([]);
  });

  it("a corrected text keeps the bounds of the record's own field: a description at most 5,000 characters, a required reason not empty", () => {
    expect(correctedTextProblem('incident.recorded.v1', 'description', 'x'.repeat(5_000))).toBeUndefined();
    expect(correctedTextProblem('incident.recorded.v1', 'description', 'x'.repeat(5_001))).toMatch(/5000/);
    expect(correctedTextProblem('intervention.logged.v1', 'notes', '')).toBeUndefined();
    expect(correctedTextProblem('case.reopened.v1', 'reason', '')).toBeDefined();
  });
});
