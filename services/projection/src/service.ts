import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import { decodeCaseMessage, type CaseEvent } from '@syv/contracts';
import { guardPool, migrate, outboxShutdownSteps, startOutboxRelay, type OutboxRelay } from '@syv/event-store';
import { startProjectionConsumer, type ProjectionConsumer } from '@syv/kafka-projection';
import { assertTopicsExist, createPublisher, pingKafka, waitForKafka, type KafkaConnection } from '@syv/messaging';
import { createLogger, createServiceApp, kafkaCheck, loadConfig, poolPending, postgresCheck, startBuiltService, type ServiceApp, type ShutdownHook } from '@syv/service-kit';
import { startAlertBroadcast, type AlertBroadcast } from './alerts/broadcast.js';
import { createAlertHub, type AlertHub } from './alerts/hub.js';
import { alertRoutes } from './alerts/routes.js';
import { subjectAccessRoutes } from './subject-access/routes.js';
import { alertStreamRoute } from './alerts/stream-route.js';
import { prepareAudit } from './audit/audit.js';
import { projectionConfigSchema, type ProjectionConfig } from './config.js';
import { registerProjectionMetrics } from './metrics.js';
import { outgoingMessage, outgoingTopicFor } from './outbox/outgoing.js';
import { queryRoutes } from './queries/routes.js';
import { applySlice } from './read-model/apply-slice.js';
import { backfillStates } from './read-model/backfill.js';
import type { ReadModel } from './read-model/context.js';
import { ruleSettingsOf } from './fold/step.js';
import { openKeyStore } from '@syv/personal-data';
import { projectionMigrations } from './read-model/schema.js';
import { startSweep, type Clock, type Sweep } from './sweep/sweep.js';
import { loadThresholdsFile } from '@syv/area-config';

const SERVICE_NAME = 'projection';
const READ_MODEL_CONSUMER = 'projection-read-model';

export interface ProjectionOptions {
  env?: NodeJS.ProcessEnv;
  /** The sweep's clock (and "now" of live queries); tests move it on. */
  clock?: Clock;
  /** PostgreSQL schema; `projection` unless a test runs two side by side. */
  schema?: string;
  /** Consumer group of the read model; one per read model. */
  consumerGroup?: string;
  logger?: Logger;
}

export interface BuiltProjection {
  app: ServiceApp;
  config: ProjectionConfig;
  pool: pg.Pool;
  readModel: ReadModel;
  relay: OutboxRelay;
  consumer: ProjectionConsumer;
  sweep: Sweep;
  hub: AlertHub;
  broadcast: AlertBroadcast;
  logger: Logger;
  /** Graceful stop, in order, after the HTTP server has closed. */
  shutdownHooks: { name: string; run: () => Promise<void>; pending?: () => unknown }[];
}

/** The projection wired, without listening: main.ts listens; integration tests build several. */
export async function buildProjection(opts: ProjectionOptions = {}): Promise<BuiltProjection> {
  const config = loadConfig(projectionConfigSchema, opts.env ?? process.env);
  const logger = opts.logger ?? createLogger({ name: SERVICE_NAME, level: config.LOG_LEVEL });
  const clock = opts.clock ?? (() => new Date());
  const readModel: ReadModel = { schema: opts.schema ?? 'projection', ...ruleSettingsOf(loadThresholdsFile(config.THRESHOLDS_FILE)) };
  const { schema } = readModel;

  const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE });
  guardPool(pool, (err) => logger.warn({ err }, 'PostgreSQL connection lost; the client is dropped and the pool opens another'));
  const started: ShutdownHook[] = [];
  try {
    const applied = await migrate(pool, schema, projectionMigrations(schema), { logger });
    logger.info({ schema, applied: applied.applied.length }, 'schema up to date');
    await backfillStates(pool, readModel, logger);

    const kafka: KafkaConnection = { brokers: config.KAFKA_BROKERS, clientId: SERVICE_NAME, logger };
    await waitForKafka(kafka, 120_000);
    await assertTopicsExist(kafka, [config.CASE_EVENTS_TOPIC, config.CASE_ALERTS_TOPIC]);
    const publisher = await createPublisher(kafka);
    started.push({ name: 'close Kafka producer', run: () => publisher.close() });

    const relay = startOutboxRelay({
      pool,
      schema,
      publisher,
      topic: config.CASE_EVENTS_TOPIC,
      topicFor: outgoingTopicFor({ caseEvents: config.CASE_EVENTS_TOPIC, caseAlerts: config.CASE_ALERTS_TOPIC }),
      toMessage: outgoingMessage,
      pollIntervalMs: config.OUTBOX_POLL_MS,
      logger,
    });
    started.unshift({ name: 'stop outbox relay', run: () => relay.stop() });

    // Texts are sealed under each child's key; answers open them, or show them erased.
    const keys = await openKeyStore({ pool, keyEncryptionKey: config.DATA_KEY_ENCRYPTION_KEY, cacheTtlMs: config.DATA_KEY_CACHE_MS, logger });
    const audit = await prepareAudit({
      pool,
      readModel,
      keys,
      liveConsumer: opts.consumerGroup ?? READ_MODEL_CONSUMER,
      kafka,
      topic: config.CASE_EVENTS_TOPIC,
      env: opts.env ?? process.env,
      replaySliceSize: config.REPLAY_SLICE_SIZE,
      logger,
    });
    started.unshift({ name: 'stop replay', run: () => audit.stop() });

    const hub = createAlertHub();
    const broadcast = await startAlertBroadcast({ kafka, topic: config.CASE_ALERTS_TOPIC, hub, logger, readModel: { pool, schema }, keys, instanceId: randomUUID() });
    started.unshift({ name: 'stop alert stream consumer', run: () => broadcast.stop() });

    // Started after the app, whose readiness and metrics read them when asked.
    const live: { consumer?: ProjectionConsumer; sweep?: Sweep } = {};
    const app = await createServiceApp({
      name: SERVICE_NAME,
      version: '0.1.0',
      config,
      logger,
      readiness: [
        postgresCheck(pool),
        kafkaCheck(() => pingKafka(kafka)),
        { name: 'case-events consumer', check: async () => live.consumer?.readiness() ?? { ok: false, detail: 'not started' } },
        { name: 'alert stream consumer', check: async () => (broadcast.joined() ? { ok: true } : { ok: false, detail: 'has not joined its group yet' }) },
      ],
      openapi: {
        description:
          'The read model of every case, the rules with their alerts to supervisors (REST, Server-Sent Events, and the case-alerts topic), and the closure assessment of the closure saga.',
        tags: [
          { name: 'cases', description: 'Case list, summary (also as of a past date) and events' },
          { name: 'alerts', description: 'Alerts to supervisors: list, acknowledge, live stream' },
          { name: 'stats', description: 'Per-area numbers' },
          { name: 'audit', description: 'Auditors: the whole history, the access log, replays with proof, promotion' },
        ],
      },
      routes: (a) => {
        queryRoutes(a, { pool, readModel, keys, now: clock });
        alertRoutes(a, { pool, schema, keys, now: clock });
        subjectAccessRoutes(a, { pool, readModel, keys });
        alertStreamRoute(a, { hub, heartbeatMs: config.SSE_HEARTBEAT_MS });
        audit.routes(a);
      },
    });
    const metrics = registerProjectionMetrics(app.metrics.registry, { consumer: () => live.consumer, relay, hub, sweep: () => live.sweep });

    const consumer = await startProjectionConsumer<CaseEvent>({
      pool,
      schema,
      consumer: opts.consumerGroup ?? READ_MODEL_CONSUMER,
      topics: [config.CASE_EVENTS_TOPIC],
      kafka,
      logger,
      maxPerTransaction: config.APPLY_SLICE_SIZE,
      partitionsConcurrently: config.APPLY_PARTITIONS_CONCURRENTLY,
      // Enough for a whole slice per fetch when far behind (a case event is about 0.7 KiB).
      maxBytesPerPartition: Math.max(1_048_576, config.APPLY_SLICE_SIZE * 1_536),
      decode: (message) => decodeCaseMessage(message.value),
      // The archive's key (case_events.event_id) is the record of what was applied.
      dedupsItself: true,
      apply: async (client, events) => {
        const result = await applySlice(client, readModel, events.map(({ event, message }) => ({ event, at: message })));
        for (const a of result.alerts) metrics.alertsRaised.inc({ rule: a.flag.rule });
        for (const a of result.assessments) {
          metrics.closuresAssessed.inc({ flagged: String(a.flags.length > 0) });
          logger.info({ caseId: a.caseId, closureRequestId: a.closureRequestId, flags: a.flags.length }, 'closure assessed');
        }
        if (result.alerts.length > 0) logger.info({ alerts: result.alerts.slice(0, 20).map((a) => ({ caseId: a.caseId, alertId: a.alertId, rule: a.flag.rule })), raised: result.alerts.length }, 'alerts raised');
        return result.applied;
      },
    });
    live.consumer = consumer;
    started.unshift({ name: 'stop case-events consumer', run: () => consumer.stop() });

    const sweep = startSweep({
      pool,
      readModel,
      clock,
      intervalMs: config.SWEEP_INTERVAL_MS,
      quietMs: config.SWEEP_QUIET_MS,
      pageSize: config.SWEEP_PAGE_SIZE,
      concurrency: config.SWEEP_CONCURRENCY,
      logger,
      caughtUp: () => live.consumer?.readiness(0).ok ?? false,
    });
    live.sweep = sweep;

    // What a step abandoned at the grace period was waiting for, in the log line that says so.
    const shutdownHooks = [
      { name: 'stop replay', run: () => audit.stop() },
      { name: 'stop time-rule sweep', run: () => sweep.stop() },
      {
        // Together: each waits out its fetch in flight (up to 5 s), and the alert stream, which only
        // feeds the closed HTTP streams, has nothing to wait for the other.
        name: 'stop case-events and alert stream consumers',
        run: async () => void (await Promise.all([consumer.stop(), broadcast.stop()])),
        pending: () => ({ consumerGroup: opts.consumerGroup ?? READ_MODEL_CONSUMER, lag: consumer.lag() }),
      },
      ...outboxShutdownSteps(relay, logger),
      { name: 'close Kafka producer', run: () => publisher.close() },
      { name: 'close PostgreSQL pool', run: () => pool.end(), pending: () => poolPending(pool) },
    ];
    return { app, config, pool, readModel, relay, consumer, sweep, hub, broadcast, logger, shutdownHooks };
  } catch (err) {
    // Whatever started before the failure is stopped again, so a failed start leaves nothing running.
    for (const hook of started) await (typeof hook === 'function' ? hook() : hook.run()).catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw err;
  }
}

/** Stops a built projection as SIGTERM would, for tests that run it in-process. */
export async function stopProjection(p: BuiltProjection): Promise<void> {
  await p.app.close();
  for (const hook of p.shutdownHooks) await hook.run().catch((err: unknown) => p.logger.warn({ err, step: hook.name }, 'shutdown step failed'));
}

export async function runProjection(): Promise<void> {
  await startBuiltService(SERVICE_NAME, () => buildProjection());
}
