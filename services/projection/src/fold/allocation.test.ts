import { describe, expect, it } from 'vitest';
import { makeEvent, SOURCES, type CaseEvent } from '@syv/contracts';
import { caseStory } from '../testing/case-story.js';
import { caseRowOf } from './case-row.js';
import { decodeState, encodeState } from './codec.js';
import type { CaseState } from './case-state.js';
import { ruleSettingsOf, step } from './step.js';

const settings = ruleSettingsOf();
const START = new Date('2024-03-04T09:00:00Z');

function allocated(on: CaseEvent, to: string, previous: string | null): CaseEvent {
  return makeEvent(
    'case.allocated.v1',
    { caseId: on.subject, area: on.area, allocatedTo: to, previouslyAllocatedTo: previous, allocatedBy: 'sup-1', allocatedAt: on.time },
    { source: SOURCES.referral, time: on.time, subject: on.subject, area: on.area, correlationid: on.id, causationid: on.id, actor: { sub: 'sup-1', role: 'supervisor' } },
  );
}

function fold(events: readonly CaseEvent[]): CaseState {
  let state: CaseState | undefined;
  for (const event of events) state = step(state, event, settings).state;
  if (!state) throw new Error('no events');
  return state;
}

describe('a case allocated to a worker', () => {
  it('given an allocation and a handover, when folded, then the row names the last worker and the rules see nothing new', () => {
    const s = caseStory(START);
    const referral = s.referral(0);
    const first = allocated(referral, 'sw-1', null);
    const handover = allocated(referral, 'sw-2', 'sw-1');
    const without = fold(s.events);
    const withAllocation = fold([...s.events, first, handover]);
    expect(caseRowOf(withAllocation).allocatedTo).toBe('sw-2');
    expect(caseRowOf(without).allocatedTo).toBeNull();
    expect(withAllocation.flags).toEqual(without.flags);
    expect(withAllocation.facts.history).toEqual(without.facts.history);
  });

  it('given a stored state, when decoded, then the worker is still there (and absent for a state from before allocations)', () => {
    const s = caseStory(START);
    const referral = s.referral(0);
    const state = fold([...s.events, allocated(referral, 'sw-1', null)]);
    expect(decodeState(encodeState(state)).allocatedTo).toBe('sw-1');
    expect(decodeState(encodeState(fold(s.events))).allocatedTo).toBeUndefined();
  });
});
