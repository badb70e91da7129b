import type { CaseState } from './case-state.js';

// A case's state as stored in its row (jsonb): plain JSON, times as ISO strings. Every time field
// of the state is named *At, `since` or `flagsAsOf`, and nothing else is, so reading it back turns
// exactly those into dates again.

const isTimeField = (key: string) => key.endsWith('At') || key === 'since' || key === 'flagsAsOf';

export function encodeState(state: CaseState): string {
  return JSON.stringify(state);
}

export function decodeState(json: string): CaseState {
  return JSON.parse(json, (key, value: unknown) => (typeof value === 'string' && isTimeField(key) ? new Date(value) : value)) as CaseState;
}
