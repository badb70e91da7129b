import pg from 'pg';
import type { Logger } from 'pino';
import { eventsChannel } from './schema-name.js';

/**
 * The relay's own PostgreSQL session: it LISTENs for append notifications (a wake-up only) and
 * holds the session advisory lock that makes one relay instance per subscription the publisher.
 * The lock lives and dies with the connection, so a crashed instance's lock frees itself and a
 * standby takes over on its next try. A broken connection is dropped and made again on demand.
 */
interface RelayListener {
  /** Connects and LISTENs if needed; true when this connection holds the publishing lock. */
  ensureLeader(): Promise<boolean>;
  /** Drops the session if it no longer answers (after an error somewhere else); lock and LISTEN go with it. */
  check(): Promise<void>;
  close(): Promise<void>;
}

export function createRelayListener(opts: {
  pool: pg.Pool;
  schema: string;
  subscriptionId: string;
  logger: Logger;
  onNotification: () => void;
  /** Leadership lost or gained, for logs and metrics. */
  onLeadership: (leader: boolean) => void;
  /** The session was lost (not closed by the listener). */
  onLost: () => void;
}): RelayListener {
  const { pool, schema, subscriptionId, logger } = opts;
  const lockKey = `syv:outbox:${schema}:${subscriptionId}`;
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let leader = false;

  const setLeader = (value: boolean) => {
    if (value !== leader) {
      leader = value;
      opts.onLeadership(value);
    }
  };

  const drop = (c: pg.Client, reason: unknown) => {
    if (client !== c) return;
    client = undefined;
    setLeader(false);
    opts.onLost();
    logger.warn({ err: reason }, 'outbox relay listener connection lost; reconnecting');
    c.end().catch(() => undefined);
  };

  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client({ ...pool.options, application_name: `outbox-relay:${schema}:${subscriptionId}`, keepAlive: true });
    // Without a listener an idle connection's error would crash the process.
    c.on('error', (err) => drop(c, err));
    c.on('end', () => drop(c, new Error('connection ended')));
    c.on('notification', () => opts.onNotification());
    try {
      await c.connect();
      await c.query(`LISTEN "${eventsChannel(schema)}"`);
    } catch (err) {
      c.end().catch(() => undefined);
      throw err;
    }
    client = c;
    return c;
  };

  return {
    async ensureLeader() {
      const c = client ?? (await (connecting ??= connect().finally(() => (connecting = undefined))));
      if (!leader) {
        const { rows } = await c.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [lockKey]);
        setLeader(rows[0]?.locked === true);
      }
      return leader;
    },
    async check() {
      const c = client;
      if (!c) return;
      try {
        await c.query('SELECT 1');
      } catch (err) {
        drop(c, err);
      }
    },
    async close() {
      const c = client;
      client = undefined;
      setLeader(false);
      if (c) await c.end().catch(() => undefined);
    },
  };
}
