import type pg from 'pg';
import type { Flag } from '../rules/index.js';

export type FlagSource = 'time' | 'closure' | 'language' | 'rereferral';

export interface StoredFlag {
  key: string;
  source: FlagSource;
  rule: string;
  severity: string;
  explanation: string;
  evidence: string[];
  since: Date;
}

/**
 * A case's flags of one source become exactly `flags`: a time flag that no longer holds (the child
 * was seen) leaves the case, one that still holds keeps the time it started.
 */
export async function replaceFlags(client: pg.ClientBase, schema: string, caseId: string, source: FlagSource, flags: readonly Flag[], since: Date): Promise<void> {
  // One statement: the DELETE (keys no longer flagged) and the upsert (keys flagged now) touch
  // different rows, and a data-modifying WITH runs even when there is nothing to insert.
  await client.query(
    `WITH gone AS (DELETE FROM ${schema}.case_flags WHERE case_id = $1 AND source = $2 AND NOT (flag_key = ANY($5::text[])))
     ${upsertFlagsSql(schema)}`,
    [caseId, source, JSON.stringify(flags), since, flags.map((f) => f.key)],
  );
}

/** Inserts $3's flags of source $2 on case $1 since $4, refreshing the wording of one already there (an explanation counts days). */
function upsertFlagsSql(schema: string): string {
  return `INSERT INTO ${schema}.case_flags (case_id, flag_key, source, rule, severity, explanation, evidence, since)
     SELECT $1, f->>'key', $2, f->>'rule', f->>'severity', f->>'explanation', ARRAY(SELECT jsonb_array_elements_text(f->'evidence'))::uuid[], $4
       FROM jsonb_array_elements($3::jsonb) AS f
     ON CONFLICT (case_id, flag_key) DO UPDATE SET severity = EXCLUDED.severity, explanation = EXCLUDED.explanation, evidence = EXCLUDED.evidence`;
}

/** Adds flags, refreshing the wording of one already there (an explanation counts days). */
export async function addFlags(client: pg.ClientBase, schema: string, caseId: string, source: FlagSource, flags: readonly Flag[], since: Date): Promise<void> {
  if (flags.length === 0) return;
  await client.query(upsertFlagsSql(schema), [caseId, source, JSON.stringify(flags), since]);
}

export async function clearFlags(client: pg.ClientBase, schema: string, caseId: string, source: FlagSource): Promise<void> {
  await client.query(`DELETE FROM ${schema}.case_flags WHERE case_id = $1 AND source = $2`, [caseId, source]);
}

export async function flagsOfCases(db: pg.ClientBase | pg.Pool, schema: string, caseIds: readonly string[]): Promise<Map<string, StoredFlag[]>> {
  const { rows } = await db.query<{ case_id: string; flag_key: string; source: FlagSource; rule: string; severity: string; explanation: string; evidence: string[]; since: Date }>(
    `SELECT case_id, flag_key, source, rule, severity, explanation, evidence, since FROM ${schema}.case_flags
      WHERE case_id = ANY($1::uuid[]) ORDER BY case_id, since, flag_key`,
    [caseIds],
  );
  const out = new Map<string, StoredFlag[]>();
  for (const r of rows) {
    const list = out.get(r.case_id) ?? [];
    list.push({ key: r.flag_key, source: r.source, rule: r.rule, severity: r.severity, explanation: r.explanation, evidence: r.evidence, since: r.since });
    out.set(r.case_id, list);
  }
  return out;
}
