import { DEFAULT_THRESHOLDS, type Thresholds } from '@syv/area-config';
import { addDays } from '../rules/days.js';
import { caseStory, type CaseStory } from './case-story.js';

// Test support for the rules: every story starts on one fixed day, so boundary tests read as
// "day 14" and "day 15" against fixed dates, and its ids are a sequence, so a failing test names
// the same ids every run.

const T0 = new Date('2024-03-04T10:00:00Z');
export const AREA = 'E09000001';

export function day(n: number): Date {
  return addDays(T0, n);
}

let counter = 0;
function nextId(): string {
  counter += 1;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

/** A case of `childId` in AREA whose day 0 is T0. */
export function ruleStory(childId = 'child-1'): CaseStory {
  return caseStory(T0, { childId, area: AREA, ids: nextId });
}

export function thresholds(changes: Partial<Thresholds> = {}): Thresholds {
  return { ...DEFAULT_THRESHOLDS, ...changes };
}
