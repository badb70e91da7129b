import type pg from 'pg';

/** The open cases of one worker (or of nobody), and how many need attention. */
export interface Load {
  openCases: number;
  flaggedCases: number;
  /** Open cases whose child has not been seen for too long: a SLOW_START or CONTACT_GAP flag. */
  overdueContacts: number;
}

export interface AreaWorkload {
  area: string;
  workers: (Load & { worker: string })[];
  unallocated: Load;
}

const none = (): Load => ({ openCases: 0, flaggedCases: 0, overdueContacts: 0 });

/** Per area, per allocated worker (most open cases first), with the cases nobody holds. */
export async function areaWorkload(db: pg.Pool, schema: string, areas: readonly string[]): Promise<AreaWorkload[]> {
  const { rows } = await db.query<{ area: string; worker: string | null; open_cases: number; flagged: number; overdue: number }>(
    `SELECT c.area, c.allocated_to AS worker, count(*)::int AS open_cases,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ${schema}.case_flags f WHERE f.case_id = c.case_id))::int AS flagged,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ${schema}.case_flags f WHERE f.case_id = c.case_id AND f.rule IN ('SLOW_START', 'CONTACT_GAP')))::int AS overdue
       FROM ${schema}.cases c
      WHERE c.status = 'open' AND c.area = ANY($1::text[])
      GROUP BY c.area, c.allocated_to`,
    [areas],
  );
  const byArea = new Map<string, AreaWorkload>(areas.map((area) => [area, { area, workers: [], unallocated: none() }]));
  for (const r of rows) {
    const entry = byArea.get(r.area)!;
    const load = { openCases: r.open_cases, flaggedCases: r.flagged, overdueContacts: r.overdue };
    if (r.worker === null) entry.unallocated = load;
    else entry.workers.push({ worker: r.worker, ...load });
  }
  for (const entry of byArea.values()) entry.workers.sort((a, b) => b.openCases - a.openCases || (a.worker < b.worker ? -1 : 1));
  return [...byArea.values()].sort((a, b) => (a.area < b.area ? -1 : 1));
}
