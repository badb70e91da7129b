import pg from 'pg';

/**
 * Samples pg_stat_activity of one database every intervalMs while it runs: for each backend that is
 * not idle, what it waits on (wait_event_type:wait_event, or CPU when it waits on nothing) and the
 * start of its statement. The tally says where PostgreSQL's share of a request's time goes; a
 * statement seen waiting on Lock:object at COMMIT is NOTIFY's database-wide queue lock.
 */
export interface WaitSampler {
  /** Stops sampling and answers the tally, most frequent first. */
  stop(): Promise<{ samples: number; rows: { wait: string; statement: string; count: number }[] }>;
}

export async function sampleWaits(databaseUrl: string, intervalMs = 50): Promise<WaitSampler> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-wait-sampler' });
  await client.connect();
  const tally = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query<{ wait: string; statement: string }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS wait,
                regexp_replace(left(query, 48), '\\s+', ' ', 'g') AS statement
           FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
            AND state NOT IN ('idle')`,
      );
      samples++;
      for (const r of rows) {
        const k = `${r.wait}\u0000${r.statement}`;
        tally.set(k, (tally.get(k) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop.catch(() => undefined);
      await client.end().catch(() => undefined);
      const rows = [...tally].map(([k, count]) => {
        const [wait = '', statement = ''] = k.split('\u0000');
        return { wait, statement, count };
      });
      return { samples, rows: rows.sort((a, b) => b.count - a.count) };
    },
  };
}

/** The tally as text lines: share of backend samples, wait, statement. */
export function formatWaits(result: Awaited<ReturnType<WaitSampler['stop']>>, top = 15): string {
  const total = result.rows.reduce((s, r) => s + r.count, 0);
  const lines = result.rows.slice(0, top).map((r) => `${((100 * r.count) / Math.max(1, total)).toFixed(1).padStart(5)} %  ${String(r.count).padStart(5)}  ${r.wait.padEnd(28)} ${r.statement}`);
  return [`${result.samples} samples, ${total} active backends seen (mean ${(total / Math.max(1, result.samples)).toFixed(2)} per sample)`, ...lines].join('\n');
}
