import { describe, expect, it } from 'vitest';
import { caseViewChanges } from './batch.js';
import { CaseViewMemory } from './memory.js';

const opened = (caseId: string, area = 'E09000001') => ({ type: 'case.opened.v1', data: { caseId, childId: `child-${caseId}`, area, openedAt: '2026-01-01T00:00:00.000Z' } });
const closed = (caseId: string, closedAt = '2026-02-01T00:00:00.000Z') => ({ type: 'case.closed.v1', data: { caseId, closedAt } });
const reopened = (caseId: string) => ({ type: 'case.reopened.v1', data: { caseId, reopenedAt: '2026-03-01T00:00:00.000Z' } });

describe('caseViewChanges: a batch folded in order', () => {
  it('a case opened and closed in one batch is added closed; another’s last status wins', () => {
    const changes = caseViewChanges([opened('a'), closed('a'), closed('b'), reopened('b'), { type: 'intervention.logged.v1', data: {} }]);
    expect([...changes.opened.values()]).toEqual([
      { caseId: 'a', childId: 'child-a', area: 'E09000001', status: 'closed', openedAt: '2026-01-01T00:00:00.000Z', closedAt: '2026-02-01T00:00:00.000Z' },
    ]);
    expect([...changes.status]).toEqual([
      ['a', { status: 'closed', closedAt: '2026-02-01T00:00:00.000Z' }],
      ['b', { status: 'open', closedAt: null }],
    ]);
  });

  it('an opened case repeated keeps its first row', () => {
    const changes = caseViewChanges([opened('a', 'E1'), opened('a', 'E2')]);
    expect(changes.opened.get('a')?.area).toBe('E1');
  });
});

describe('CaseViewMemory', () => {
  it('serves what the consumer committed, follows its status changes, and forgets after the ttl', () => {
    let now = 0;
    const memory = new CaseViewMemory({ ttlMs: 1_000, maxEntries: 10, now: () => now });
    memory.apply(caseViewChanges([opened('a')]));
    expect(memory.get('a')?.status).toBe('open');
    now = 900;
    memory.apply(caseViewChanges([closed('a')]));
    expect(memory.get('a')).toMatchObject({ status: 'closed', closedAt: '2026-02-01T00:00:00.000Z' });
    now = 1_800; // confirmed at 900: still trusted
    expect(memory.get('a')?.status).toBe('closed');
    now = 2_000;
    expect(memory.get('a')).toBeUndefined();
  });

  it('does not keep a table read that overlapped a change the consumer committed', () => {
    const memory = new CaseViewMemory({ ttlMs: 1_000, maxEntries: 10 });
    const row = { caseId: 'a', childId: 'c', area: 'E1', status: 'open' as const, openedAt: '2026-01-01T00:00:00.000Z' };
    const mark = memory.mark();
    memory.apply(caseViewChanges([closed('x')]));
    memory.remember(row, mark);
    expect(memory.get('a')).toBeUndefined();
    memory.remember(row, memory.mark());
    expect(memory.get('a')).toEqual(row);
  });

  it('holds at most maxEntries, and nothing with a ttl of 0', () => {
    const memory = new CaseViewMemory({ ttlMs: 1_000, maxEntries: 2 });
    memory.apply(caseViewChanges([opened('a'), opened('b'), opened('c')]));
    expect([memory.get('a'), memory.get('b')?.caseId, memory.get('c')?.caseId]).toEqual([undefined, 'b', 'c']);
    const none = new CaseViewMemory({ ttlMs: 0, maxEntries: 2 });
    none.apply(caseViewChanges([opened('a')]));
    expect(none.get('a')).toBeUndefined();
  });
});
