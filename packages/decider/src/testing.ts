import { expect } from 'vitest';
import { fold, type Decider } from './decider.js';

/**
 * Given/when/then for deciders:
 *   spec(decider).given([...past events]).when(command).then([...new events])
 *   spec(decider).given([...]).when(command).thenRejects('CASE_CLOSED')
 */
export function spec<C, E, S, Code extends string>(decider: Decider<C, E, S, Code>) {
  return {
    given(events: readonly E[]) {
      return {
        when(command: C) {
          const state = fold(decider, events);
          const decision = decider.decide(command, state);
          return {
            then(expected: E[]) {
              if (!decision.ok) throw new Error(`expected events, got rejection ${decision.rejection.code}: ${decision.rejection.message}`);
              expect(decision.events).toEqual(expected);
            },
            thenRejects(code: Code) {
              if (decision.ok) throw new Error(`expected rejection ${code}, got ${decision.events.length} event(s)`);
              expect(decision.rejection.code).toBe(code);
              expect(decision.rejection.message.length).toBeGreaterThan(10);
              return decision.rejection;
            },
            events(): E[] {
              if (!decision.ok) throw new Error(`expected events, got rejection ${decision.rejection.code}`);
              return decision.events;
            },
          };
        },
      };
    },
  };
}
