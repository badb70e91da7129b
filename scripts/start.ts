// `npm start`: the whole system in the foreground — Kafka and PostgreSQL from wherever the
// resolver finds them (environment, Docker, or the local broker), then every service, each
// applying its migrations at start. Ctrl-C stops the services gracefully, then the broker.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { provisionInfra } from '@syv/infra';
import { startSystem, type RunningSystem } from '@syv/launcher';

const root = join(import.meta.dirname, '..');

if (process.argv.includes('--help')) {
  console.log(`usage: npm start

Starts Kafka, PostgreSQL (when needed) and every service in the foreground until Ctrl-C.
  KAFKA_BROKERS   use this broker instead of starting one (comma list)
  DATABASE_URL    use this PostgreSQL instead of the machine's or an embedded one
  KAFKA_PORT      port of the local broker when one is started (default 9092)
  JWT_SECRET      HS256 secret shared by the services (development default when unset)
  LOG_LEVEL       services' log level (default info)`);
  process.exit(0);
}

const dataDir = join(root, '.data', 'run');
mkdirSync(dataDir, { recursive: true });
const log = (msg: string) => console.log(`[start] ${msg}`);

const infra = await provisionInfra({ dataDir, kafkaPort: Number(process.env.KAFKA_PORT ?? 9092), log });
log(infra.describe());

const env: Record<string, string> = {
  DATABASE_URL: infra.databaseUrl,
  KAFKA_BROKERS: infra.kafkaBrokers.join(','),
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  // The console's sign-in page gets its "development token" button; never set outside npm start.
  CONSOLE_DEV_TOKENS: '1',
};
if (process.env.JWT_SECRET) env.JWT_SECRET = process.env.JWT_SECRET;

let system: RunningSystem | undefined;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (stopping) process.exit(1);
  stopping = true;
  log('stopping services…');
  await system?.stop();
  log('stopping infrastructure…');
  await infra.stop();
  log('stopped');
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  system = await startSystem({ repoRoot: root, env });
} catch (err) {
  console.error(`[start] ${String(err)}`);
  await shutdown(1);
}

for (const s of system?.services ?? []) {
  void s.exited.then((code) => {
    if (stopping) return;
    console.error(`[start] ${s.name} exited unexpectedly (code ${code}); stopping everything`);
    void shutdown(1);
  });
}

log('ready:');
for (const s of system?.services ?? []) log(`  ${s.name.padEnd(13)} ${s.url}   docs ${s.url}/docs`);
const consoleService = system?.services.find((s) => s.name === 'console');
if (consoleService) log(`console (social workers, supervisors, auditors): ${consoleService.url}/`);
log('mint a development token:  npm run -s token -- --role social_worker --areas E09000001');
log('Ctrl-C to stop');
