import { describe, expect, it } from 'vitest';
import { addYears, retentionSchedule, type RetainedCase } from './due.js';

const AREA = 'E09000001';
const LONGER = 'E09000002';
const now = new Date('2030-06-01T12:00:00.000Z');
const yearsFor = (area: string) => (area === LONGER ? 10 : 7);

const closed = (caseId: string, childId: string, closedAt: string, area = AREA): RetainedCase => ({ caseId, childId, area, status: 'closed', closedAt });
const open = (caseId: string, childId: string, area = AREA): RetainedCase => ({ caseId, childId, area, status: 'open' });

function schedule(cases: RetainedCase[], erased: string[] = [], at = now) {
  return retentionSchedule({ cases, erasedCases: new Set(erased), yearsFor, now: at });
}

describe('given children whose cases are all closed', () => {
  it('when the last closure is older than the period, then the child is due since the closure plus the period', () => {
    expect(schedule([closed('c1', 'child-a', '2020-01-10T09:00:00.000Z'), closed('c2', 'child-a', '2023-05-31T12:00:00.000Z')]).due).toEqual([
      { childId: 'child-a', area: AREA, lastClosedAt: '2023-05-31T12:00:00.000Z', dueSince: '2030-05-31T12:00:00.000Z' },
    ]);
  });

  it('when the last closure is within the period, then the child is not due but upcoming', () => {
    const s = schedule([closed('c1', 'child-a', '2015-01-01T00:00:00.000Z'), closed('c2', 'child-a', '2024-01-01T00:00:00.000Z')]);
    expect(s.due).toEqual([]);
    expect(s.upcoming).toEqual([{ childId: 'child-a', area: AREA, lastClosedAt: '2024-01-01T00:00:00.000Z', dueSince: '2031-01-01T00:00:00.000Z' }]);
  });

  it('when the period ends exactly now, then the child is due', () => {
    expect(schedule([closed('c1', 'child-a', '2023-06-01T12:00:00.000Z')]).due.map((d) => d.childId)).toEqual(['child-a']);
  });

  it('when the area has a longer period, then its children are judged by it', () => {
    const s = schedule([closed('c1', 'child-a', '2022-01-01T00:00:00.000Z'), closed('c2', 'child-b', '2022-01-01T00:00:00.000Z', LONGER)]);
    expect(s.due.map((d) => d.childId)).toEqual(['child-a']);
    expect(s.upcoming).toEqual([{ childId: 'child-b', area: LONGER, lastClosedAt: '2022-01-01T00:00:00.000Z', dueSince: '2032-01-01T00:00:00.000Z' }]);
  });

  it('when several are due, then they come oldest first, and upcoming soonest first', () => {
    const s = schedule([
      closed('c1', 'child-b', '2021-01-01T00:00:00.000Z'),
      closed('c2', 'child-a', '2020-01-01T00:00:00.000Z'),
      closed('c3', 'child-d', '2026-01-01T00:00:00.000Z'),
      closed('c4', 'child-c', '2025-01-01T00:00:00.000Z'),
    ]);
    expect(s.due.map((d) => d.childId)).toEqual(['child-a', 'child-b']);
    expect(s.upcoming.map((d) => d.childId)).toEqual(['child-c', 'child-d']);
  });
});

describe('given a child with an open case', () => {
  it('when their other cases closed long ago, then the child is never due nor upcoming', () => {
    const s = schedule([closed('c1', 'child-a', '2001-01-01T00:00:00.000Z'), open('c2', 'child-a')]);
    expect(s).toEqual({ due: [], upcoming: [] });
  });

  it('when the open case is in another area, then the area whose cases all closed still counts its own', () => {
    const s = schedule([closed('c1', 'child-a', '2001-01-01T00:00:00.000Z'), open('c2', 'child-a', LONGER)]);
    expect(s.due).toEqual([expect.objectContaining({ childId: 'child-a', area: AREA })]);
  });
});

describe('given erasures already recorded', () => {
  it('when every case of the child is covered, then the child is not due again', () => {
    expect(schedule([closed('c1', 'child-a', '2001-01-01T00:00:00.000Z')], ['c1'])).toEqual({ due: [], upcoming: [] });
  });

  it('when the child was referred again after the erasure and that case closed long ago, then the child is due again', () => {
    const s = schedule([closed('c1', 'child-a', '2001-01-01T00:00:00.000Z'), closed('c2', 'child-a', '2020-01-01T00:00:00.000Z')], ['c1']);
    expect(s.due).toEqual([{ childId: 'child-a', area: AREA, lastClosedAt: '2020-01-01T00:00:00.000Z', dueSince: '2027-01-01T00:00:00.000Z' }]);
  });
});

describe('given a closure on 29 February', () => {
  it('when years are added, then a year without one ends on 1 March', () => {
    expect(addYears(new Date('2024-02-29T10:00:00.000Z'), 7).toISOString()).toBe('2031-03-01T10:00:00.000Z');
  });
});
