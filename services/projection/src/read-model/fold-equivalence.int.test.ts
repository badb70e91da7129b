import { readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCaseMessage } from '@syv/contracts';
import { migrate, withTransaction } from '@syv/event-store';
import { createPrng, createTestDatabase, type TestDatabase } from '@syv/test-harness';
import { checksumOf, digestReadModel } from '../audit/checksum.js';
import type { Positioned } from '../fold/slice.js';
import { FIXTURE_LOGS, positioned } from '../testing/fixture-logs.js';
import { ruleSettingsOf } from '../fold/step.js';
import { applySlice } from './apply-slice.js';
import { backfillStates } from './backfill.js';
import type { ReadModel } from './context.js';
import { projectionMigrations } from './schema.js';

// The read model is a function of the log, not of how the log was cut into transactions: applied
// one event at a time, or in slices of any size with the partitions interleaved in any order, the
// fixed logs end at the checksums recorded in fixtures/checksums.json.
// RECORD_FIXTURES=1 writes the file anew; only for a change meant to change what is written.

const FIXTURES = new URL('./fixtures/checksums.json', import.meta.url);
const expected = JSON.parse(readFileSync(FIXTURES, 'utf8')) as Record<string, { events: number; cases: number; checksum: string }>;

let db: TestDatabase;
let pool: pg.Pool;
let schemas = 0;
beforeAll(async () => {
  db = await createTestDatabase('fold_eq');
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

async function freshReadModel(): Promise<ReadModel> {
  const schema = `rm_${++schemas}`;
  await migrate(pool, schema, projectionMigrations(schema), {});
  return { schema, ...ruleSettingsOf() };
}

async function checksumAfter(slices: readonly (readonly Positioned[])[], between?: { at: number; run: (rm: ReadModel) => Promise<void> }): Promise<{ checksum: string; cases: number }> {
  const rm = await freshReadModel();
  for (const [i, slice] of slices.entries()) {
    if (between?.at === i) await between.run(rm);
    await withTransaction(pool, (client) => applySlice(client, rm, slice));
  }
  const digests = await withTransaction(pool, async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    return digestReadModel(client, rm.schema);
  });
  await pool.query(`DROP SCHEMA ${rm.schema} CASCADE`);
  return { checksum: checksumOf(digests), cases: digests.size };
}

/**
 * The log cut as consumers cut it: each partition into slices of random sizes (1 to `most`), in
 * its own order, and the partitions' slices interleaved at random, as instances or concurrent
 * partitions apply them.
 */
function randomCuts(log: readonly Positioned[], seed: number, most: number): Positioned[][] {
  const rnd = createPrng(seed).next;
  const byPartition = new Map<number, Positioned[]>();
  for (const p of log) byPartition.set(p.at.partition, [...(byPartition.get(p.at.partition) ?? []), p]);
  const queues = [...byPartition.values()].map((events) => {
    const slices: Positioned[][] = [];
    for (let i = 0; i < events.length; ) {
      const n = 1 + Math.floor(rnd() * most);
      slices.push(events.slice(i, i + n));
      i += n;
    }
    return slices;
  });
  const out: Positioned[][] = [];
  while (queues.some((q) => q.length > 0)) {
    const open = queues.filter((q) => q.length > 0);
    out.push(open[Math.floor(rnd() * open.length)]!.shift()!);
  }
  return out;
}

describe('a read model written before case states were stored', () => {
  it('has its states filled from the archive at start-up, and goes on to the same checksum', async () => {
    const fixture = FIXTURE_LOGS[1]!;
    const log = positioned(fixture.events());
    const half = Math.floor(log.length / 2);
    const slices = [log.slice(0, half), ...randomCuts(log.slice(half), 3, 300)];
    let filled = 0;
    const { checksum } = await checksumAfter(slices, {
      at: 1,
      run: async (rm) => {
        await pool.query(`UPDATE ${rm.schema}.cases SET state = NULL`);
        filled = await backfillStates(pool, rm, pino({ level: 'silent' }));
      },
    });
    expect(filled).toBeGreaterThan(100);
    expect(checksum).toBe(expected[fixture.name]?.checksum);
  });
});

describe('the read model of a fixed log', () => {
  const recorded: Record<string, { events: number; cases: number; checksum: string }> = {};
  afterAll(() => {
    if (process.env.RECORD_FIXTURES === '1') writeFileSync(FIXTURES, `${JSON.stringify(recorded, null, 2)}\n`);
  });

  for (const fixture of FIXTURE_LOGS) {
    it(`${fixture.name}: applied one event per transaction, ends at the recorded checksum`, async () => {
      const log = positioned(fixture.events());
      const { checksum, cases } = await checksumAfter(log.map((p) => [p]));
      recorded[fixture.name] = { events: log.length, cases, checksum };
      expect({ events: log.length, cases, checksum }).toEqual(expected[fixture.name]);
    });
  }

  for (const [i, fixture] of FIXTURE_LOGS.entries()) {
    it(`${fixture.name}: cut into random slices with the partitions interleaved, ends at the same checksum`, async () => {
      const log = positioned(fixture.events());
      const seed = Number(process.env.FOLD_SEED ?? Date.now() % 1_000_000) + i;
      const most = [5, 200, 2_000][i % 3]!;
      const slices = randomCuts(log, seed, most);
      const { checksum } = await checksumAfter(slices);
      expect(checksum, `seed ${seed}, slices of 1..${most} (FOLD_SEED=${seed - i} repeats it)`).toBe(expected[fixture.name]?.checksum);
    });
  }
});

// Events as they were published before the narrative fields (reasons, descriptions, rationales,
// views) and the onward-referral outcomes existed, stored as written: 20 cases of the perturbed
// mixed log. Added fields are optional in the same version, so these still parse as they are, and
// the read model they replay to is the one the implementation of that time recorded. Never
// re-record this checksum: a difference means old events no longer replay as they did.
const PUBLISHED_LOG = new URL('./fixtures/published-log.ndjson', import.meta.url);
const PUBLISHED_CHECKSUM = 'sha256:ef57b68d6ceeaf65ad68430a5f067214a044534114ad2754c4a52c24207431b8';

describe('events published before fields were added to their types', () => {
  it('parse through the consumer path unchanged and replay to the checksum recorded when they were written', async () => {
    const lines = readFileSync(PUBLISHED_LOG, 'utf8').split('\n').filter((l) => l.length > 0);
    const log: Positioned[] = lines.map((line) => {
      const stored = JSON.parse(line) as { partition: number; offset: string; event: unknown };
      const decoded = decodeCaseMessage(Buffer.from(JSON.stringify(stored.event), 'utf8'));
      if (!decoded.ok) throw new Error(`offset ${stored.offset} no longer parses: ${JSON.stringify(decoded.error)}`);
      expect(decoded.event).toEqual(stored.event);
      return { event: decoded.event, at: { topic: 'case-events', partition: stored.partition, offset: stored.offset } };
    });
    expect(log).toHaveLength(303);
    const { checksum, cases } = await checksumAfter(randomCuts(log, 7, 50));
    expect({ cases, checksum }).toEqual({ cases: 20, checksum: PUBLISHED_CHECKSUM });
  });
});
