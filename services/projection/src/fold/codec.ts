import type { CaseState } from './case-state.js';

// A case's state as stored in its row (jsonb): plain JSON, times as ISO strings. Every time field
// of the state is named *At, `since` or `flagsAsOf`, and nothing else is, so reading it back turns
// exactly those into dates again.

const isTimeField = (key: string) => key.endsWith('At') || key === 'since' || key === 'flagsAsOf';

export function encodeState(state: CaseState): string {
  return JSON.stringify(state);
}

/** Several states as one JSON array, for one bulk write. */
export function encodeStates(states: readonly CaseState[]): string {
  return JSON.stringify(states);
}

/** Turns the time fields back into dates, in place (a walk after a plain parse is several times faster than a reviver). */
function revive(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'object' && item !== null) revive(item);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const v = record[key];
    if (typeof v === 'string') {
      if (isTimeField(key)) record[key] = new Date(v);
    } else if (typeof v === 'object' && v !== null) revive(v);
  }
}

export function decodeState(json: string): CaseState {
  const state = JSON.parse(json) as unknown;
  revive(state);
  return state as CaseState;
}
