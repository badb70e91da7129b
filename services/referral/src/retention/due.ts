// Retention: a council keeps a child's record for a period after the child's last case closed,
// then destroys it. Which children that is, at a given time, is decided here from the cases alone;
// the shell reads them and erases through the same path as a data protection officer's erasure.
//
// A child is due in an area when every one of their cases there is closed, the last closure is at
// least the area's period ago, and some case is not yet covered by a recorded erasure. So a child
// erased and not referred again since is not due again (nothing is left to erase), and a child
// referred again after an erasure is due once the new case has closed for the period.

export interface RetainedCase {
  caseId: string;
  childId: string;
  area: string;
  status: 'open' | 'closed';
  closedAt?: string;
}

export interface RetentionInput {
  /** The cases of the children in question, every case of each of them in each area. */
  cases: readonly RetainedCase[];
  /** Cases a recorded erasure (child.erased) already covers. */
  erasedCases: ReadonlySet<string>;
  /** The area's retention period, in whole years after the last closure. */
  yearsFor: (area: string) => number;
  now: Date;
}

export interface RetentionItem {
  childId: string;
  area: string;
  lastClosedAt: string;
  /** When the period ended: the last closure plus the area's years. */
  dueSince: string;
}

export interface RetentionSchedule {
  /** Children whose period has ended, by when it ended (oldest first). */
  due: RetentionItem[];
  /** Children with every case closed whose period has not ended yet, soonest first. */
  upcoming: RetentionItem[];
}

/** The same day and time, `years` calendar years later (29 February becomes 1 March). */
export function addYears(at: Date, years: number): Date {
  const d = new Date(at.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
}

const byDueThenChild = (a: RetentionItem, b: RetentionItem) => a.dueSince.localeCompare(b.dueSince) || a.area.localeCompare(b.area) || a.childId.localeCompare(b.childId);

export function retentionSchedule(input: RetentionInput): RetentionSchedule {
  const children = new Map<string, RetainedCase[]>();
  for (const c of input.cases) {
    const key = `${c.area}\u0000${c.childId}`;
    const list = children.get(key);
    if (list) list.push(c);
    else children.set(key, [c]);
  }
  const due: RetentionItem[] = [];
  const upcoming: RetentionItem[] = [];
  for (const cases of children.values()) {
    const first = cases[0];
    if (!first) continue;
    if (cases.some((c) => c.status !== 'closed' || c.closedAt === undefined)) continue;
    if (cases.every((c) => input.erasedCases.has(c.caseId))) continue;
    const last = Math.max(...cases.map((c) => Date.parse(c.closedAt as string)));
    const dueSince = addYears(new Date(last), input.yearsFor(first.area));
    const item = { childId: first.childId, area: first.area, lastClosedAt: new Date(last).toISOString(), dueSince: dueSince.toISOString() };
    (dueSince.getTime() <= input.now.getTime() ? due : upcoming).push(item);
  }
  return { due: due.sort(byDueThenChild), upcoming: upcoming.sort(byDueThenChild) };
}
