import { describe, expect, it } from 'vitest';
import type { CaseRow } from '@syv/case-view';
import { stillDue } from './job.js';

// The retention job reads the cases again just before it deletes anything: what its round read
// earlier may have changed (a case reopened, the child referred again).

const now = new Date('2033-06-01T09:00:00Z');
const closedCase = (caseId: string, closedAt: string): CaseRow => ({ caseId, childId: 'child-r', area: 'E09000001', status: 'closed', openedAt: '2020-01-01T09:00:00Z', closedAt });

describe('a child the round found due', () => {
  it('given every case still closed for the period, then the erasure goes ahead', () => {
    expect(stillDue([closedCase('a', '2025-01-01T09:00:00Z'), closedCase('b', '2026-05-01T09:00:00Z')], 7, now)).toBeUndefined();
  });

  it('given a case reopened since, then it is refused', () => {
    const reopened: CaseRow = { ...closedCase('b', '2026-05-01T09:00:00Z'), status: 'open' };
    expect(stillDue([closedCase('a', '2025-01-01T09:00:00Z'), reopened], 7, now)).toMatch(/open case/);
  });

  it('given a new case closed since, within the period, then it is refused', () => {
    expect(stillDue([closedCase('a', '2025-01-01T09:00:00Z'), closedCase('c', '2033-01-01T09:00:00Z')], 7, now)).toMatch(/referred again/);
  });
});
