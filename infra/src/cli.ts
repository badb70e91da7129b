// `npm run kafka <command>`: the no-Docker Apache Kafka broker by hand.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureTopics } from '@syv/messaging';
import {
  fetchKafkaJars,
  kafkaVersion,
  localKafkaStatus,
  LocalKafkaError,
  startLocalKafka,
  stopLocalKafka,
  type LocalKafka,
} from './kafka-local.js';
import { defaultKafkaDataDir } from './paths.js';
import { caseTopics } from './topics.js';

const usage = `usage: kafka <command> [options]

Apache Kafka ${kafkaVersion()} from Maven Central, one KRaft node on 127.0.0.1, no Docker.
Needs Java 17+ (and Maven once, for fetch).

commands:
  fetch     fetch the broker's jars into infra/kafka/.cache (once; later runs reuse them)
  start     start the broker in the foreground, create the topics ${caseTopics.map((t) => t.name).join(', ')},
            and stop it on Ctrl-C
  stop      stop the broker named by the data dir's pid file (e.g. one started in another terminal)
  status    say whether the data dir's broker runs and answers (exit 0 when it does, 3 when not)

options:
  --port N           client port for start (default 9092; the controller uses N+1)
  --data-dir PATH    broker data, logs and pid file (default ${defaultKafkaDataDir})
  -h, --help         this text`;

const log = (msg: string): void => console.log(`[kafka] ${msg}`);

function fail(message: string, code = 1): never {
  console.error(`[kafka] ${message}`);
  process.exit(code);
}

async function start(port: number, dataDir: string): Promise<void> {
  let broker: LocalKafka;
  try {
    broker = await startLocalKafka({ port, dataDir, log });
  } catch (err) {
    if (err instanceof LocalKafkaError && err.code === 'ALREADY_RUNNING') {
      log(err.message);
      return;
    }
    throw err;
  }
  await ensureTopics({ brokers: broker.brokers, clientId: 'syv-infra-cli' }, caseTopics);
  log(`topics ready: ${caseTopics.map((t) => `${t.name} (${t.partitions} partitions, kept forever)`).join(', ')}`);
  log(`KAFKA_BROKERS=${broker.brokers.join(',')}   (Ctrl-C to stop)`);

  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const stopped = new Promise<string>((resolvePromise) => {
    for (const signal of signals) process.once(signal, () => resolvePromise(signal));
  });
  // The broker may also end on its own: `kafka stop` from another terminal, or a crash.
  const outcome = await Promise.race([stopped.then((s) => ({ signal: s })), broker.exited.then((code) => ({ code }))]);
  if ('signal' in outcome) {
    log(`${outcome.signal}: stopping the broker`);
    await broker.stop();
    log('stopped');
    return;
  }
  await broker.stop();
  // 143 = 128 + SIGTERM: the JVM's exit code after a clean shutdown on SIGTERM.
  if (outcome.code !== 0 && outcome.code !== 143 && outcome.code !== null) {
    fail(`the broker exited with code ${outcome.code}; see ${broker.logFiles.server}`);
  }
  log('the broker was stopped from outside; exiting');
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || command === undefined || command === 'help') {
    console.log(usage);
    return;
  }
  const dataDir = resolve(values['data-dir'] ?? defaultKafkaDataDir);
  const port = Number(values.port ?? 9092);
  if (!Number.isInteger(port) || port < 1 || port > 65534) fail(`--port must be a port number below 65535, not ${values.port}`, 2);

  switch (command) {
    case 'fetch': {
      const jars = await fetchKafkaJars({ log });
      log(jars.fetched ? `ready: ${jars.libsDir}` : `already fetched: ${jars.libsDir}`);
      return;
    }
    case 'start':
      return start(port, dataDir);
    case 'stop': {
      const result = await stopLocalKafka({ dataDir, log });
      log(result === 'stopped' ? 'stopped' : `no broker running from ${dataDir}`);
      return;
    }
    case 'status': {
      const status = await localKafkaStatus({ dataDir });
      if (status.state === 'running') {
        log(
          `running: Apache Kafka ${status.version} at 127.0.0.1:${status.port} (pid ${status.pid}, since ${status.startedAt})` +
            (status.answers ? ', answering' : ', NOT answering yet'),
        );
        if (!status.answers) process.exitCode = 3;
        return;
      }
      log(
        status.state === 'stale-pid-file'
          ? `not running (stale pid file: pid ${status.pid} is gone; the next start cleans it up)`
          : `not running (no pid file in ${dataDir})`,
      );
      process.exitCode = 3;
      return;
    }
    default:
      fail(`unknown command: ${command}\n\n${usage}`, 2);
  }
}

main().catch((err: unknown) => {
  fail(err instanceof Error ? err.message : String(err));
});
