import { describe, expect, it } from 'vitest';
import { fold } from '@syv/decider';
import { spec } from '@syv/decider/testing';
import type { ChildEvent } from '../referral/decider.js';
import { childErasureDecider, type EraseChild } from './decider.js';

const area = 'E09000001';
const childId = 'child-7f3a';
const firstCase = '11111111-1111-4111-8111-111111111111';
const secondCase = '22222222-2222-4222-8222-222222222222';
const thirdCase = '33333333-3333-4333-8333-333333333333';
const firstKey = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const secondKey = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

const opened = (caseId: string): ChildEvent => ({ type: 'case.opened.v1', data: { caseId, childId, area, referralId: 'r0', openedAt: '2025-01-01T09:00:00.000Z' } });
const allocated: ChildEvent = {
  type: 'case.allocated.v1',
  data: { caseId: firstCase, area, allocatedTo: 'sw-1', previouslyAllocatedTo: null, allocatedBy: 'sw-1', allocatedAt: '2025-01-01T09:00:00.000Z' },
};

function erase(overrides: Partial<EraseChild> = {}): EraseChild {
  return {
    kind: 'erase',
    childId,
    area,
    erasedBy: 'dpo-1',
    legalBasis: 'retention_period_ended',
    reason: 'Retention period ended (review RR-14).',
    erasedKeys: [{ keyId: firstKey, erasedAt: '2033-02-01T10:00:00.000Z' }],
    at: '2033-02-01T10:00:01.000Z',
    ...overrides,
  };
}

const erased = (caseId: string, keyIds = [firstKey], erasedAt = '2033-02-01T10:00:00.000Z'): ChildEvent => ({
  type: 'child.erased.v1',
  data: { caseId, childId, area, erasedBy: 'dpo-1', erasedAt, legalBasis: 'retention_period_ended', reason: 'Retention period ended (review RR-14).', keyIds },
});

const given = spec(childErasureDecider).given;

describe("a child's erasure", () => {
  it('given a child with two cases, when their key was deleted, then one child.erased per case names it, with who, when and why', () => {
    given([opened(firstCase), allocated, opened(secondCase)]).when(erase()).then([erased(firstCase), erased(secondCase)]);
  });

  it('given a child with no case in the area, then it is refused as not found, and nothing is recorded', () => {
    given([]).when(erase()).thenRejects('CHILD_NOT_FOUND');
  });

  it('given a child whose texts were never sealed (no key), then the erasure is still recorded, with no key and at the time of the command', () => {
    given([opened(firstCase)]).when(erase({ erasedKeys: [] })).then([erased(firstCase, [], '2033-02-01T10:00:01.000Z')]);
  });

  it('given an erasure already recorded, when it is asked again (no new key, no new case), then nothing new is recorded', () => {
    given([opened(firstCase), opened(secondCase), erased(firstCase), erased(secondCase)]).when(erase({ at: '2033-02-02T08:00:00.000Z' })).then([]);
  });

  it('given the keys deleted but no event recorded (the process stopped between the two), when asked again, then the erasure is recorded with those keys and their time', () => {
    // The retry deletes nothing more; the tombstone it reports is the first attempt's.
    given([opened(firstCase)]).when(erase({ at: '2033-02-01T10:05:00.000Z' })).then([erased(firstCase)]);
  });

  it('given a child erased, then referred again and written about under a new key, when erased again, then every case is recorded with the new key only', () => {
    const again = erase({ erasedKeys: [{ keyId: firstKey, erasedAt: '2033-02-01T10:00:00.000Z' }, { keyId: secondKey, erasedAt: '2034-03-01T10:00:00.000Z' }] });
    given([opened(firstCase), erased(firstCase), opened(secondCase)])
      .when(again)
      .then([erased(firstCase, [secondKey], '2034-03-01T10:00:00.000Z'), erased(secondCase, [secondKey], '2034-03-01T10:00:00.000Z')]);
  });

  it('given a case opened after the erasure but nothing written on it, when erased again, then every case is recorded with no key', () => {
    given([opened(firstCase), erased(firstCase), opened(secondCase)]).when(erase()).then([erased(firstCase, [], '2033-02-01T10:00:01.000Z'), erased(secondCase, [], '2033-02-01T10:00:01.000Z')]);
  });

  it('keeps the latest erasure whole, so an erasure asked again answers what the first recorded', () => {
    const state = fold(childErasureDecider, [opened(firstCase), opened(secondCase), opened(thirdCase), erased(firstCase), erased(secondCase), erased(thirdCase)]);
    expect(state.last).toEqual({ childId, area, erasedAt: '2033-02-01T10:00:00.000Z', keyIds: [firstKey], cases: [firstCase, secondCase, thirdCase] });
    const twice = fold(childErasureDecider, [opened(firstCase), erased(firstCase), erased(firstCase, [], '2033-02-01T10:00:01.000Z')]);
    expect(twice.last).toMatchObject({ erasedAt: '2033-02-01T10:00:01.000Z', keyIds: [], cases: [firstCase] });
  });
});
