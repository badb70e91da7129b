import { expect } from 'vitest';
import { fold, type Decider, type Rejection } from './decider.js';

/**
 * Given/when/then for deciders:
 *   spec(decider).given([...past events]).when(command).then([...new events])
 *   spec(decider).given([...]).when(command).thenRejects('CASE_CLOSED', 409)
 */
export function spec<C, E, S>(decider: Decider<C, E, S>) {
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
            thenRejects(code: string, status?: Rejection['status']) {
              if (decision.ok) throw new Error(`expected rejection ${code}, got ${decision.events.length} event(s)`);
              expect(decision.rejection.code).toBe(code);
              if (status !== undefined) expect(decision.rejection.status).toBe(status);
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
