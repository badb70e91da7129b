import type pg from 'pg';

import type { FlagSource } from '../fold/case-state.js';

export interface StoredFlag {
  key: string;
  source: FlagSource;
  rule: string;
  severity: string;
  explanation: string;
  evidence: string[];
  since: Date;
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
