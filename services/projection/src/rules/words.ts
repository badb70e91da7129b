import type { Agency, IncidentKind } from './contract.js';

// Explanations are read by supervisors, so dates and enumerations are written as words. Dates are
// shown in Europe/London, where the areas are; an event at 00:30 BST is on that day, not the day before.

const dateFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' });

// Explanations are written at every event and every sweep, and formatting a date is costly: the
// words of each hour are kept (Europe/London changes its offset only on the hour).
const HOUR_MS = 3_600_000;
const formatted = new Map<number, string>();
const MOST_REMEMBERED = 200_000;

export function formatDate(at: Date): string {
  const hour = Math.floor(at.getTime() / HOUR_MS);
  let words = formatted.get(hour);
  if (words === undefined) {
    words = dateFormat.format(at);
    if (formatted.size >= MOST_REMEMBERED) formatted.clear();
    formatted.set(hour, words);
  }
  return words;
}

const AGENCY_NAMES: Record<Agency, string> = {
  police: 'police',
  school: 'school',
  health: 'health',
  camhs: 'CAMHS',
  housing: 'housing',
  social_care: 'social care',
  youth_justice: 'youth justice',
  youth_service: 'the youth service',
  vcs: 'the voluntary sector',
  family: 'family',
  self: 'self-referral',
};

export function agencyName(agency: string): string {
  return (AGENCY_NAMES as Record<string, string>)[agency] ?? humanise(agency);
}

/** `criminal_exploitation` → `criminal exploitation`. */
export function humanise(code: string): string {
  return code.replace(/_/g, ' ');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const INCIDENT_NAMES: Record<IncidentKind, string> = {
  violence_victim: 'violence against the child',
  violence_harm: 'violence by the child',
  weapon: 'weapon',
  exploitation: 'exploitation',
  missing: 'missing episode',
  arrest: 'arrest',
  threat: 'threat',
};

export function incidentName(kind: string): string {
  return (INCIDENT_NAMES as Record<string, string>)[kind] ?? humanise(kind);
}
