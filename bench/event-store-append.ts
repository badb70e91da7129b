// Event store append: this project's appendToStream (@syv/event-store) against Emmett's
// PostgreSQL event store, on the same PostgreSQL in the same run, each in a fresh database of its
// own: single appends, batches of 10 and of 100, the same number of appends each, with the expected
// version checked as a command handler would.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { getPostgreSQLEventStore, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import { appendToStream, eventStoreMigrations, migrate, type NewEvent } from '@syv/event-store';
import { startOwnInfra, type OwnInfra } from '@syv/test-harness';
import { elapsedLog, parseOptions, positiveInt } from './lib/args.js';
import { repoRoot } from './lib/paths.js';

const usage = `usage: pnpm --filter @syv/bench append -- [options]

Starts its own embedded PostgreSQL (never the machine's), makes two fresh databases, and appends
the same events to each store in turn: --iterations appends of 1, of 10 and of 100 events, each to
one of --streams streams with the expected version, from each of --concurrency workers in turn.
Order within a run alternates (ours, emmett, then emmett, ours for the next size) so that neither
always goes first.

options:
  --iterations N    appends per batch size and worker setting (default 2000)
  --streams S       streams the appends are spread over, per worker (default 50)
  --concurrency L   comma-separated worker counts (default 1,8)
  --pool P          connections per store (default 10, the services' default)
  --pg-port Q       own PostgreSQL (default 23432)
  --help            this text`;

const values = parseOptions(usage, { iterations: '2000', streams: '50', concurrency: '1,8', pool: '10', 'pg-port': '23432' });
const int = (name: string, raw: string): number => positiveInt(name, raw, usage);
const iterations = int('iterations', values.iterations);
const streams = int('streams', values.streams);
const concurrencies = values.concurrency.split(',').map((c) => int('concurrency', c));
const poolSize = int('pool', values.pool);
const log = elapsedLog();

/** One store as the benchmark drives it: append `size` events to a stream at its known version. */
interface Store {
  name: string;
  append(streamId: string, size: number): Promise<void>;
  close(): Promise<void>;
}

const payload = (i: number) => ({ caseId: randomUUID(), agency: 'youth_justice', kind: 'direct_work', withChild: true, durationMinutes: 45, notes: `Session ${i}: met at the youth centre.` });

async function ours(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  await migrate(pool, 'bench', eventStoreMigrations);
  const versions = new Map<string, number>();
  return {
    name: 'ours',
    async append(streamId, size) {
      const events: NewEvent[] = Array.from({ length: size }, (_, i) => ({ id: randomUUID(), type: 'intervention.logged.v1', data: payload(i), metadata: { actor: 'bench' } }));
      const r = await appendToStream(pool, 'bench', streamId, versions.get(streamId) ?? 'no_stream', events);
      if (!r.ok) throw new Error(`ours: ${r.error.reason} conflict on ${streamId}`);
      versions.set(streamId, r.nextVersion);
    },
    close: () => pool.end(),
  };
}

async function emmett(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const store: PostgresEventStore = getPostgreSQLEventStore(url, { connectionOptions: { pool } });
  await store.schema.migrate();
  const versions = new Map<string, bigint>();
  return {
    name: 'emmett',
    async append(streamId, size) {
      const events = Array.from({ length: size }, (_, i) => ({ type: 'intervention.logged.v1', data: payload(i), metadata: { actor: 'bench' } }));
      const expected = versions.get(streamId);
      const r = await store.appendToStream(streamId, events, { expectedStreamVersion: expected ?? 'STREAM_DOES_NOT_EXIST' });
      versions.set(streamId, r.nextExpectedStreamVersion);
    },
    close: async () => {
      await store.close();
      await pool.end().catch(() => undefined);
    },
  };
}

interface Result {
  store: string;
  size: number;
  workers: number;
  appendsPerSec: number;
  eventsPerSec: number;
  p50: number;
  p99: number;
}

async function run(store: Store, size: number, workers: number): Promise<Result> {
  const latencies: number[] = [];
  let next = 0;
  const runId = randomUUID().slice(0, 8);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (next < iterations) {
        const i = next++;
        const s = performance.now();
        await store.append(`case-${runId}-${w}-${i % streams}`, size);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1_000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { store: store.name, size, workers, appendsPerSec: iterations / seconds, eventsPerSec: (iterations * size) / seconds, p50: q(0.5), p99: q(0.99) };
}

const fmt = (r: Result) =>
  `${r.store.padEnd(7)} batch ${String(r.size).padStart(3)}  workers ${r.workers}  ${r.appendsPerSec.toFixed(0).padStart(6)} appends/s  ${r.eventsPerSec.toFixed(0).padStart(7)} events/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms`;

let infra: OwnInfra | undefined;
let failed = false;
const stores: Store[] = [];
const dbs: string[] = [];
try {
  infra = await startOwnInfra({ dataDir: join(repoRoot, '.data', 'bench-append'), pgPort: int('pg-port', values['pg-port']), log });
  const suffix = randomUUID().slice(0, 8);
  dbs.push(`append_ours_${suffix}`, `append_emmett_${suffix}`);
  stores.push(await ours(await infra.createDatabase(dbs[0] ?? '')), await emmett(await infra.createDatabase(dbs[1] ?? '')));
  // Warm-up: JIT, connections, Emmett's first-append checks; not counted.
  for (const s of stores) for (let i = 0; i < 200; i++) await s.append(`warm-${i % 10}`, 1 + (i % 10));
  const results: Result[] = [];
  let flip = false;
  for (const workers of concurrencies) {
    for (const size of [1, 10, 100]) {
      for (const s of flip ? [...stores].reverse() : stores) {
        log(`${s.name}: ${iterations} appends of ${size}, ${workers} worker(s)`);
        const r = await run(s, size, workers);
        log(fmt(r));
        results.push(r);
      }
      flip = !flip;
    }
  }
  console.log('\n=== event store append: summary ===');
  for (const r of results) console.log(fmt(r));
  for (const workers of concurrencies) {
    for (const size of [1, 10, 100]) {
      const [a, b] = ['ours', 'emmett'].map((n) => results.find((r) => r.store === n && r.size === size && r.workers === workers));
      if (a && b) console.log(`batch ${size}, ${workers} worker(s): ours/emmett appends/s ${(a.appendsPerSec / b.appendsPerSec).toFixed(2)}, p50 ${(a.p50 / b.p50).toFixed(2)}×`);
    }
  }
} catch (err) {
  failed = true;
  console.error(`event-store-append: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
} finally {
  // Pools closed before the databases are dropped: DROP … WITH (FORCE) ends their connections.
  for (const s of stores) await s.close().catch(() => undefined);
  for (const db of dbs) await infra?.dropDatabase(db).catch(() => undefined);
  await infra?.stop().catch(() => undefined);
}
process.exit(failed ? 1 : 0);
