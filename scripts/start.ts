// `npm start`: the whole system in the foreground — Kafka and PostgreSQL from wherever the
// resolver finds them (environment, Docker, or the local broker), then every service, each
// applying its migrations at start. SIGINT, SIGTERM or SIGHUP stops the services gracefully, then
// the broker, within a bound.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { provisionInfra, type ProvisionedInfra } from '@syv/infra';
import { SERVICES, serviceStopBoundMs, startSystem, type RunningSystem, type ServiceName } from '@syv/launcher';

const root = join(import.meta.dirname, '..');

if (process.argv.includes('--help')) {
  console.log(`usage: npm start

Starts Kafka, PostgreSQL (when needed) and every service in the foreground until stopped.
  KAFKA_BROKERS     use this broker instead of starting one (comma list)
  DATABASE_URL      use this PostgreSQL instead of the machine's or an embedded one
  KAFKA_PORT        port of the local broker when one is started (default 9092)
  KAFKA_LOCAL_NODES local Kafka nodes to start (default 1; 3: replicated, on KAFKA_PORT to KAFKA_PORT+5)
  SERVICES_PORT     port of the first service; the others take the next ones (default 3001)
  DATA_DIR          where the local broker and an embedded PostgreSQL keep their data (default .data/run)
  JWT_SECRET        HS256 secret shared by the services (development default when unset)
  LOG_LEVEL         services' log level (default info)
  SHUTDOWN_GRACE_MS how long each service may take to stop (default 10000)
  STOP_TIMEOUT_MS   how long the whole stop may take (default 60000)

Stopping: SIGINT (Ctrl-C), SIGTERM or SIGHUP, to this process or its whole process group, stops
the services gracefully (each within SHUTDOWN_GRACE_MS, else it is killed a few seconds later),
then the broker (SIGTERM, SIGKILL after 20 s), and removes the broker's pid files. The same signal
arriving again from npm or the process group changes nothing; a signal a second or more later
kills the services at once and still stops the broker. Past STOP_TIMEOUT_MS whatever is left is
killed and the process exits 1.`);
  process.exit(0);
}

const log = (msg: string) => console.log(`[start] ${msg}`);

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`[start] ${name} must be a whole number, not "${raw}"`);
    process.exit(2);
  }
  return value;
}

const dataDir = resolve(process.env.DATA_DIR ?? join(root, '.data', 'run'));
const kafkaPort = envNumber('KAFKA_PORT', 9092);
const servicesPort = envNumber('SERVICES_PORT', SERVICES[0].port);
const stopTimeoutMs = envNumber('STOP_TIMEOUT_MS', 60_000);
/** Signals closer together than this are one stop delivered several ways (npm, the process group). */
const REPEAT_WINDOW_MS = 1_000;

const ports = Object.fromEntries(SERVICES.map((s, i) => [s.name, servicesPort + i])) as Record<ServiceName, number>;
const local = (name: ServiceName) => `http://127.0.0.1:${ports[name]}`;

let system: RunningSystem | undefined;
let stopping: { at: number; hurry: () => void } | undefined;

/**
 * Services first (they flush their outboxes to the broker), then the infrastructure. Bounded
 * three ways: each service by its own grace period and the launcher's SIGKILL after it, the broker
 * by its SIGKILL after 20 s, and the whole stop by STOP_TIMEOUT_MS, past which the process exits
 * and its exit hooks kill the services and the broker and remove the broker's pid files.
 */
async function shutdown(code: number, why: string): Promise<void> {
  let hurried!: () => void;
  const hurry = new Promise<void>((r) => (hurried = r));
  stopping = { at: Date.now(), hurry: hurried };
  // Not unref'd: it is the bound, whatever else the event loop waits for.
  setTimeout(() => {
    console.error(`[start] the stop took longer than ${stopTimeoutMs / 1000} s (STOP_TIMEOUT_MS): killing what is left`);
    process.exit(1);
  }, stopTimeoutMs);

  log(`${why}: stopping services… (everything is stopped within ${stopTimeoutMs / 1000} s; Ctrl-C again kills the services at once)`);
  // Services still starting have no system yet: the launcher kills them when this process exits.
  const running = system;
  if (running) {
    await Promise.race([
      running.stop(),
      hurry.then(async () => {
        log('killing the services');
        await Promise.all(running.services.map((s) => s.kill()));
      }),
    ]);
  }
  log('stopping infrastructure…');
  try {
    // Infrastructure still starting is stopped once it has started (or failed to).
    const infra = await infraReady.catch(() => undefined);
    await infra?.stop();
  } catch (err) {
    console.error(`[start] stopping the infrastructure failed: ${String(err)}`);
    code = 1;
  }
  log('stopped');
  process.exit(code);
}

function onSignal(signal: NodeJS.Signals): void {
  if (!stopping) {
    void shutdown(0, signal);
    return;
  }
  // npm passes on a SIGTERM that the process group already delivered: the same stop, not a second one.
  if (Date.now() - stopping.at < REPEAT_WINDOW_MS) return;
  log(`${signal} again: not waiting for the services`);
  stopping.hurry();
}

mkdirSync(dataDir, { recursive: true });
const infraReady = provisionInfra({ dataDir, kafkaPort, log });
// In the same tick as the start of provisioning, so before any signal can be handled: a signal
// during start-up must stop what has started, not end this process by the signal's default
// action, which runs no exit hook and leaves the broker unowned.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
let infra: ProvisionedInfra;
try {
  infra = await infraReady;
} catch (err) {
  console.error(`[start] ${String(err)}`);
  process.exit(1);
}
log(infra.describe());
// A signal came while the infrastructure was starting: the stop in progress ends this process.
if (stopping) await new Promise(() => undefined);

const env: Record<string, string> = {
  DATABASE_URL: infra.databaseUrl,
  KAFKA_BROKERS: infra.kafkaBrokers.join(','),
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  // The console forwards /api/<service>/* to these; the referral service asks the projection for a subject access document.
  REFERRAL_URL: local('referral'),
  INTERVENTION_URL: local('intervention'),
  CASE_CLOSURE_URL: local('case-closure'),
  PROJECTION_URL: local('projection'),
  // The console's sign-in page gets its "development token" button; never set outside npm start.
  CONSOLE_DEV_TOKENS: '1',
};
if (process.env.JWT_SECRET) env.JWT_SECRET = process.env.JWT_SECRET;

try {
  const started = await startSystem({ repoRoot: root, env, ports, onLine: (name, line) => console.log(`[${name}] ${line}`) });
  // Stopped while the services were starting: the stop in progress is past them, and this
  // process's exit kills them.
  if (!stopping) system = started;
} catch (err) {
  console.error(`[start] ${String(err)}`);
  if (!stopping) await shutdown(1, 'start failed');
}

for (const s of system?.services ?? []) {
  void s.exited.then((code) => {
    if (stopping) return;
    console.error(`[start] ${s.name} exited unexpectedly (code ${code}); stopping everything`);
    void shutdown(1, `${s.name} exited`);
  });
}

if (system) {
  log('ready:');
  for (const s of system.services) log(`  ${s.name.padEnd(13)} ${s.url}   docs ${s.url}/docs`);
  const consoleService = system.services.find((s) => s.name === 'console');
  if (consoleService) log(`console (social workers, supervisors, auditors): ${consoleService.url}/`);
  log('mint a development token:  npm run -s token -- --role social_worker --areas E09000001');
  log(`Ctrl-C to stop (services within ${serviceStopBoundMs(process.env) / 1000} s each, everything within ${stopTimeoutMs / 1000} s)`);
}
