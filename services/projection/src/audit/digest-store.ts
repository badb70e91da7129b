import type pg from 'pg';
import { withTransaction } from '@syv/event-store';
import { checksumHasher, digestQuery, differingTables, type CaseRange } from './checksum.js';
import type { DifferingCase } from './replay-store.js';

// A replay's digests live in the audit schema (replay_digests), written a range of case ids per
// transaction, compared and checksummed by reading them back in order: the process holds no
// per-case state, whatever the number of cases.

type Side = 'live' | 'replay';

const MOST_DIFFERING_KEPT = 100;

/** Ranges of the uuid space by leading hex digits: one for a small read model, 16 or 256 for larger ones. */
export function caseRanges(cases: number): CaseRange[] {
  const digits = cases < 50_000 ? 0 : cases < 800_000 ? 1 : 2;
  if (digits === 0) return [{ from: '00000000-0000-0000-0000-000000000000', to: 'ffffffff-ffff-ffff-ffff-ffffffffffff' }];
  const n = 16 ** digits;
  return Array.from({ length: n }, (_, i) => {
    const p = i.toString(16).padStart(digits, '0');
    return { from: `${p}${'0'.repeat(8 - digits)}-0000-0000-0000-000000000000`, to: `${p}${'f'.repeat(8 - digits)}-ffff-ffff-ffff-ffffffffffff` };
  });
}

export async function countCases(db: pg.ClientBase | pg.Pool, schema: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${schema}.cases`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Digests one range of the read model in `schema` into replay_digests, in the caller's
 * transaction (which fixes the snapshot read). The live side also keeps each case's flags_as_of.
 */
export async function storeDigests(client: pg.ClientBase, auditSchema: string, replayId: string, side: Side, schema: string, range: CaseRange): Promise<void> {
  await client.query(`SET LOCAL TimeZone = 'UTC'`);
  const q = digestQuery(schema, range);
  await client.query(
    `INSERT INTO ${auditSchema}.replay_digests (replay_id, side, case_id, digests, flags_as_of)
     SELECT $3::uuid, $4, d.case_id, d.digests, c.flags_as_of FROM (${q.text}) AS d LEFT JOIN ${schema}.cases c ON c.case_id = d.case_id`,
    [...q.values, replayId, side],
  );
}

/** The checksum of one side, from its digests read back in case id order through a cursor. */
export async function checksumOfSide(pool: pg.Pool, auditSchema: string, replayId: string, side: Side): Promise<string> {
  const hasher = checksumHasher();
  await readInOrder(pool, `SELECT case_id::text AS case_id, digests FROM ${auditSchema}.replay_digests WHERE replay_id = $1 AND side = $2 ORDER BY case_id`, [replayId, side], (r: { case_id: string; digests: Buffer }) =>
    hasher.add(r.case_id, r.digests),
  );
  return hasher.digest();
}

/** How the two sides compare: cases on either side, how many differ, and the first of them with their tables. */
export async function compareSides(db: pg.Pool, auditSchema: string, replayId: string): Promise<{ casesCompared: number; differingCount: number; differing: DifferingCase[] }> {
  const both = `SELECT coalesce(l.case_id, r.case_id) AS case_id, l.digests AS live, r.digests AS replay
                  FROM (SELECT case_id, digests FROM ${auditSchema}.replay_digests WHERE replay_id = $1 AND side = 'live') l
                  FULL JOIN (SELECT case_id, digests FROM ${auditSchema}.replay_digests WHERE replay_id = $1 AND side = 'replay') r USING (case_id)`;
  const counts = await db.query<{ compared: string; differing: string }>(
    `SELECT count(*)::text AS compared, count(*) FILTER (WHERE live IS DISTINCT FROM replay)::text AS differing FROM (${both}) b`,
    [replayId],
  );
  const { rows } = await db.query<{ case_id: string; live: Buffer | null; replay: Buffer | null }>(
    `SELECT case_id::text AS case_id, live, replay FROM (${both}) b WHERE live IS DISTINCT FROM replay ORDER BY case_id LIMIT ${MOST_DIFFERING_KEPT}`,
    [replayId],
  );
  return {
    casesCompared: Number(counts.rows[0]?.compared ?? 0),
    differingCount: Number(counts.rows[0]?.differing ?? 0),
    differing: rows.map((r) => ({ caseId: r.case_id, tables: differingTables(r.live, r.replay) })),
  };
}

/** The live side's flags_as_of, a page at a time in case id order, for the replay's alignment. */
export async function liveChecksAfter(db: pg.Pool, auditSchema: string, replayId: string, after: string | null, limit: number): Promise<{ caseId: string; at: Date }[]> {
  const { rows } = await db.query<{ case_id: string; flags_as_of: Date }>(
    `SELECT case_id::text AS case_id, flags_as_of FROM ${auditSchema}.replay_digests
      WHERE replay_id = $1 AND side = 'live' AND flags_as_of IS NOT NULL AND ($2::uuid IS NULL OR case_id > $2::uuid)
      ORDER BY case_id LIMIT $3`,
    [replayId, after, limit],
  );
  return rows.map((r) => ({ caseId: r.case_id, at: r.flags_as_of }));
}

export async function dropDigests(db: pg.Pool, auditSchema: string, replayId: string): Promise<void> {
  await db.query(`DELETE FROM ${auditSchema}.replay_digests WHERE replay_id = $1`, [replayId]);
}

/** Rows of a query through a cursor, 10,000 at a time, in one read-only transaction. */
async function readInOrder<R>(pool: pg.Pool, text: string, values: unknown[], each: (row: R) => void): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query('SET TRANSACTION READ ONLY');
    await client.query(`DECLARE syv_rows NO SCROLL CURSOR FOR ${text}`, values);
    for (;;) {
      const { rows } = await client.query<R & pg.QueryResultRow>('FETCH 10000 FROM syv_rows');
      for (const r of rows) each(r);
      if (rows.length < 10_000) break;
    }
  });
}
