// The projection's apply step alone: the mixed history applied straight from memory into a fresh
// read model, in transactions of a slice's size, exactly as the Kafka consumer does it
// (applySlice) but without Kafka. Shows what the read model costs per event apart
// from the broker; --queries adds the time spent in each statement (wall time per round trip).
//
//   cd bench && pnpm exec tsx projection-apply.ts --events 20000
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type CaseEvent } from '@syv/contracts';
import { migrate } from '@syv/event-store';
import { applySlice } from '../services/projection/src/read-model/apply-slice.js';
import type { ReadModel } from '../services/projection/src/read-model/context.js';
import { projectionMigrations } from '../services/projection/src/read-model/schema.js';
import { mixedLog } from '../services/projection/src/testing/mixed-log.js';
import { ruleSettingsOf } from '../services/projection/src/fold/step.js';
import { parseOptions, positiveInt } from './lib/args.js';

const USAGE = `usage: pnpm exec tsx projection-apply.ts [--events N] [--batch N] [--queries] [--database-url URL]

Applies N events (default 20,000) of the mixed history to a fresh read model in a throwaway
database, in transactions of --batch events (default 1,000, the consumer's default slice), and
prints events/s. No Kafka: this is the read model's own cost per event. --queries also
prints the 25 statements that took the most wall time (count and total ms).`;
const opts = parseOptions(USAGE, { events: '20000', batch: '1000', queries: false, 'database-url': process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
const WANTED = positiveInt('events', opts.events, USAGE);
const BATCH = positiveInt('batch', opts.batch, USAGE);
const baseUrl = opts['database-url'];

const events: CaseEvent[] = [];
for (let seed = 1; events.length < WANTED; seed++) events.push(...mixedLog(400, seed, new Date(Date.UTC(2023, 0, 1) + (seed % 12) * 30 * 86_400_000)));
events.length = Math.min(events.length, WANTED);

const database = `bench_apply_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
await admin.query(`CREATE DATABASE "${database}"`);
const url = new URL(baseUrl);
url.pathname = `/${database}`;
const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
try {
  const schema = 'projection';
  await migrate(pool, schema, projectionMigrations(schema), {});
  const rm: ReadModel = { schema, ...ruleSettingsOf() };
  const client = await pool.connect();
  const perQuery = new Map<string, { n: number; ms: number }>();
  if (opts.queries) {
    const query = client.query.bind(client) as (...a: unknown[]) => Promise<unknown>;
    (client as unknown as { query: (...a: unknown[]) => Promise<unknown> }).query = async (...a: unknown[]) => {
      const text = String(a[0]).replace(/\s+/g, ' ').slice(0, 90);
      const t = performance.now();
      try {
        return await query(...a);
      } finally {
        const e = perQuery.get(text) ?? { n: 0, ms: 0 };
        e.n++;
        e.ms += performance.now() - t;
        perQuery.set(text, e);
      }
    };
  }
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let alerts = 0;
  for (let i = 0; i < events.length; i += BATCH) {
    await client.query('BEGIN');
    const batch = events.slice(i, i + BATCH);
    const applied = await applySlice(client, rm, batch.map((event, j) => ({ event, at: { topic: 'bench', partition: 0, offset: String(i + j) } })));
    alerts += applied.alerts.length;
    await client.query('COMMIT');
    if ((i / BATCH) % 50 === 0) process.stderr.write(`\r${i + BATCH}/${events.length}`);
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  client.release();
  for (const [text, e] of [...perQuery].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.log(`${e.ms.toFixed(0).padStart(7)} ms ${String(e.n).padStart(7)}× ${text}`);
  process.stderr.write('\n');
  console.log(`${events.length} events in ${(ms / 1000).toFixed(1)} s = ${Math.round((events.length / ms) * 1000)} events/s (batch ${BATCH}), ${alerts} alerts; this process used ${((cpu.user + cpu.system) / 1000 / ms * 100).toFixed(0)}% of one core`);
} finally {
  await pool.end();
  await admin.query(`DROP DATABASE "${database}" WITH (FORCE)`);
  await admin.end();
}
