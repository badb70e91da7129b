import { accept, reject, type Decider, type Decision } from '@syv/decider';
import type { ErasureLegalBasis, EventData } from '@syv/contracts';
import type { ProblemCode } from '@syv/service-kit';
import type { ChildEvent } from '../referral/decider.js';

// A data protection officer erases a child's personal texts in an area. The shell deletes the
// child's data keys first and then asks this decider what to record, on the child's stream (the
// same stream that opens the child's cases, so an erasure and a referral opening a new case meet
// on its version): one child.erased.v1 per case of the child, naming the keys deleted.
//
// The keys the shell reports are every tombstone of the child (the keys erased so far), not only
// those this request deleted. So an erasure whose keys were deleted but whose events were never
// recorded (the process stopped between the two) records them when it is asked again, and an
// erasure asked twice finds every key already recorded and every case covered: it records
// nothing and answers what the first one recorded.

export type ErasedData = EventData<'child.erased.v1'>;

export interface EraseChild {
  kind: 'erase';
  childId: string;
  area: string;
  erasedBy: string;
  legalBasis: ErasureLegalBasis;
  reason: string;
  /** Every key of the child in the area erased so far, this request's included. */
  erasedKeys: readonly { keyId: string; erasedAt: string }[];
  /** When the command is recorded: the erasure's time when no key was deleted. */
  at: string;
}

/** One erasure as its events record it: what the answer says. */
export interface RecordedErasure {
  childId: string;
  area: string;
  erasedAt: string;
  keyIds: string[];
  cases: string[];
}

export interface ErasureState {
  /** The child's cases in the area, oldest first. */
  cases: string[];
  /** Keys an erasure already recorded. */
  recordedKeyIds: string[];
  /** Cases an erasure already covered. */
  erasedCases: string[];
  /** The latest erasure recorded, if any. */
  last?: RecordedErasure;
}

export type ErasureRejection = Extract<ProblemCode, 'CHILD_NOT_FOUND'>;

const sameKeys = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((k, i) => k === b[i]);

function evolve(state: ErasureState, event: ChildEvent): ErasureState {
  switch (event.type) {
    case 'case.opened.v1':
      return { ...state, cases: [...state.cases, event.data.caseId] };
    case 'child.erased.v1': {
      const d = event.data;
      // One erasure's events are appended together, one per case: the next case of the same erasure
      // joins it, a case already in it (or other keys, another time) starts the next erasure.
      const last = state.last;
      const joins = last !== undefined && last.erasedAt === d.erasedAt && sameKeys(last.keyIds, d.keyIds) && !last.cases.includes(d.caseId);
      return {
        ...state,
        recordedKeyIds: [...state.recordedKeyIds, ...d.keyIds.filter((k) => !state.recordedKeyIds.includes(k))],
        erasedCases: state.erasedCases.includes(d.caseId) ? state.erasedCases : [...state.erasedCases, d.caseId],
        last: joins ? { ...last, cases: [...last.cases, d.caseId] } : { childId: d.childId, area: d.area, erasedAt: d.erasedAt, keyIds: [...d.keyIds], cases: [d.caseId] },
      };
    }
    default:
      return state;
  }
}

function decide(command: EraseChild, state: ErasureState): Decision<ChildEvent, ErasureRejection> {
  if (state.cases.length === 0) return reject('CHILD_NOT_FOUND', `Child ${command.childId} has no case in area ${command.area}.`);
  const unrecorded = command.erasedKeys.filter((k) => !state.recordedKeyIds.includes(k.keyId));
  const uncovered = state.cases.filter((c) => !state.erasedCases.includes(c));
  if (unrecorded.length === 0 && uncovered.length === 0) return accept();
  const times = unrecorded.map((k) => k.erasedAt).sort();
  const erasedAt = times.at(-1) ?? command.at;
  const keyIds = unrecorded.map((k) => k.keyId).sort();
  return accept(
    ...state.cases.map(
      (caseId): ChildEvent => ({
        type: 'child.erased.v1',
        data: { caseId, childId: command.childId, area: command.area, erasedBy: command.erasedBy, erasedAt, legalBasis: command.legalBasis, reason: command.reason, keyIds },
      }),
    ),
  );
}

export const childErasureDecider: Decider<EraseChild, ChildEvent, ErasureState, ErasureRejection> = {
  initialState: () => ({ cases: [], recordedKeyIds: [], erasedCases: [] }),
  evolve,
  decide,
};
