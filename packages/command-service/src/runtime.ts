import pg from 'pg';
import type { Logger } from 'pino';
import { decodeCaseMessage, encodeMessage, type AnyEvent, type CaseEvent } from '@syv/contracts';
import { caseViewChanges, caseViewEventTypes, CaseViewMemory, writeCaseViewChanges } from '@syv/case-view';
import { eventStoreMigrations, guardPool, migrate, outboxShutdownSteps, startOutboxRelay, type Migration, type OutboxRelay } from '@syv/event-store';
import { markProcessed, startProjectionConsumer, type ProjectionConsumer } from '@syv/kafka-projection';
import { assertTopicsExist, createPublisher, pingKafka, waitForKafka, type KafkaConnection, type Publisher } from '@syv/messaging';
import {
  createLogger,
  createServiceApp,
  kafkaCheck,
  loadConfig,
  poolPending,
  postgresCheck,
  startBuiltService,
  type AuthUser,
  type ServiceApp,
} from '@syv/service-kit';
import type { CaseRow } from '@syv/case-view';
import { areaRulesOf, loadThresholdsFile, type AreaRules } from '@syv/area-config';
import { openKeyStore, sealEvent, type KeyStore } from '@syv/personal-data';
import { caseForCommand, missWait, visibleCase } from './case-lookup.js';
import { commandServiceConfigSchema, type CommandServiceConfig } from './config.js';
import type { CommandStore } from './execute.js';
import { startIdempotencyExpiry } from './idempotency-expiry.js';
import { languageFlagsOf, type LanguageFlag } from './language.js';
import { sharedMigrations } from './migrations.js';
import { amendmentRoutes } from './amendments/routes.js';
import { rejectedMessagesRoute } from './rejected-messages-route.js';
import { fromStoredEvent } from './stored-event.js';

export interface CommandServiceDefinition {
  name: string;
  version: string;
  /** CloudEvents source of this service's events. */
  source: string;
  /** PostgreSQL schema this service owns; no other service reads it. */
  schema: string;
  defaultPort: number;
  /** The service's own migrations (component = the service name). */
  migrations: (schema: string) => Migration[];
  /** Further handling of a case event, in the consumer's transaction, after the case view. */
  onCaseEvent?: (client: pg.PoolClient, event: CaseEvent, service: CommandService) => Promise<void>;
  /**
   * The event types onCaseEvent acts on (default: all, when there is an onCaseEvent). The consumer
   * records as processed only these and the case view's own; the rest it skips without a write.
   */
  caseEventTypes?: readonly CaseEvent['type'][];
  /** The service's own routes; `env` for the settings only they read (a bad one stops the service at start). */
  routes: (app: ServiceApp, service: CommandService, env: NodeJS.ProcessEnv) => void | Promise<void>;
  /**
   * The service's own periodic jobs, started once it is built (it reads its settings from `env`,
   * a bad one stopping the service at start); each stopped at shutdown before the outbox flushes.
   */
  jobs?: (service: CommandService, env: NodeJS.ProcessEnv) => { name: string; stop: () => Promise<void> }[];
  openapi?: { description?: string; tags?: { name: string; description?: string }[] };
}

export interface CommandService {
  config: CommandServiceConfig;
  logger: Logger;
  store: CommandStore;
  kafka: KafkaConnection;
  /** The case a command is about, 404 unless it exists in one of the user's areas. */
  caseFor(user: AuthUser, caseId: string): Promise<CaseRow>;
  /** The same, but undefined instead of a 404, for deciders that rule on unknown cases. */
  visibleCase(user: AuthUser, caseId: string): Promise<CaseRow | undefined>;
  /** Before a 404 that needed no case lookup: waits as long as a lookup of a missing case, so the two 404s take the same time. */
  missWait(): Promise<void>;
  /** Whether the local case view may be behind the log (its consumer has not joined yet). */
  caseViewBehind(): boolean;
  /** An area's thresholds and labelling lexicon, from `THRESHOLDS_FILE`: the same the projection uses. */
  rulesFor(area: string): AreaRules;
  /** The labelling phrases in each named free-text field of a write, by the lexicon of the case's area. */
  languageFlags(area: string, fields: Readonly<Record<string, string | undefined>>): LanguageFlag[];
  /** Children's data keys: a write seals its texts under the child's key, an answer opens them. */
  keys: KeyStore;
  /**
   * Seals the personal texts of a command's events under the child's key, keeping what the area's
   * labelling lexicon found in them: what `executeCommand`'s `seal` takes.
   */
  sealerFor(child: { area: string; childId: string }): Promise<(event: AnyEvent) => AnyEvent>;
}

export interface BuiltCommandService {
  app: ServiceApp;
  service: CommandService;
  relay: OutboxRelay;
  consumer: ProjectionConsumer;
  /** Graceful stop, in order: HTTP closed by the caller, then these. */
  shutdownHooks: { name: string; run: () => Promise<void>; pending?: () => unknown }[];
}

/** Everything a command service is, wired, without listening: main.ts listens, tests may inject. */
export async function buildCommandService(def: CommandServiceDefinition, env: NodeJS.ProcessEnv = process.env): Promise<BuiltCommandService> {
  const config = loadConfig(commandServiceConfigSchema(def.defaultPort), env);
  const logger = createLogger({ name: def.name, level: config.LOG_LEVEL });
  const rulesFor = areaRulesOf(loadThresholdsFile(config.THRESHOLDS_FILE));
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE });
  // A PostgreSQL restart surfaces as an error on idle clients; without a listener it would crash the process.
  guardPool(pool, (err) => logger.warn({ err }, 'PostgreSQL connection lost; the client is dropped and the pool opens another'));

  const applied = await migrate(pool, def.schema, [...eventStoreMigrations, ...sharedMigrations(def.schema), ...def.migrations(def.schema)], { logger });
  logger.info({ schema: def.schema, applied: applied.applied.length }, 'schema up to date');
  const keys = await openKeyStore({ pool, keyEncryptionKey: config.DATA_KEY_ENCRYPTION_KEY, cacheTtlMs: config.DATA_KEY_CACHE_MS, logger });

  const kafka: KafkaConnection = { brokers: config.KAFKA_BROKERS, clientId: def.name, logger };
  logger.info({ brokers: config.KAFKA_BROKERS }, 'waiting for Kafka');
  await waitForKafka(kafka, 120_000);
  await assertTopicsExist(kafka, [config.CASE_EVENTS_TOPIC]);
  const publisher: Publisher = await createPublisher(kafka);

  const store: CommandStore = { pool, schema: def.schema, source: def.source };
  // The case view's consumer starts below; until it has joined its group the view counts as behind.
  const view: { consumer?: ProjectionConsumer } = {};
  const behind = () => !(view.consumer?.readiness().ok ?? false);
  const memory = new CaseViewMemory({ ttlMs: config.CASE_VIEW_MEMORY_MS, maxEntries: config.CASE_VIEW_MEMORY_ENTRIES });
  const service: CommandService = {
    config,
    logger,
    store,
    kafka,
    caseFor: (user, caseId) => caseForCommand(pool, def.schema, user, caseId, config.CASE_VIEW_WAIT_MS, behind, memory),
    visibleCase: (user, caseId) => visibleCase(pool, def.schema, user, caseId, config.CASE_VIEW_WAIT_MS, behind, memory),
    missWait: () => missWait(config.CASE_VIEW_WAIT_MS, behind),
    caseViewBehind: behind,
    rulesFor,
    languageFlags: (area, fields) => languageFlagsOf(fields, rulesFor(area).matchLanguage),
    keys,
    async sealerFor(child) {
      const key = await keys.keyFor(child);
      const match = rulesFor(child.area).matchLanguage;
      return (event) => sealEvent(event, key, match);
    },
  };

  const relay = startOutboxRelay({
    pool,
    schema: def.schema,
    publisher,
    topic: config.CASE_EVENTS_TOPIC,
    pollIntervalMs: config.OUTBOX_POLL_MS,
    logger,
    toMessage: (recorded) => encodeMessage(fromStoredEvent(recorded)),
  });

  const consumerName = `${def.name}-case-view`;
  const ownTypes = def.onCaseEvent ? (def.caseEventTypes ? new Set<string>(def.caseEventTypes) : undefined) : new Set<string>();
  const wanted = (event: CaseEvent) => caseViewEventTypes.has(event.type) || !ownTypes || ownTypes.has(event.type);
  const consumer = await startProjectionConsumer<CaseEvent>({
    pool,
    schema: def.schema,
    consumer: consumerName,
    topics: [config.CASE_EVENTS_TOPIC],
    kafka,
    logger,
    decode: (message) => decodeCaseMessage(message.value),
    // A slice in a few statements: dedup records for the events this service reads (the others,
    // most of the topic, are skipped without a write), the view's changes in two, then onCaseEvent.
    dedupsItself: true,
    apply: async (client, slice) => {
      const relevant = slice.map((f) => f.event).filter(wanted);
      if (relevant.length === 0) return [];
      const firstSeen = await markProcessed(client, def.schema, consumerName, relevant.map((e) => e.id));
      const fresh = relevant.filter((_, i) => firstSeen.has(i));
      const changes = caseViewChanges(fresh);
      await writeCaseViewChanges(client, def.schema, changes);
      if (def.onCaseEvent) for (const event of fresh) if (!ownTypes || ownTypes.has(event.type)) await def.onCaseEvent(client, event, service);
      return fresh;
    },
    // The same fold again, once the slice has committed: the memory never runs ahead of the table.
    afterCommit: (applied) => memory.apply(caseViewChanges(applied)),
  });
  view.consumer = consumer;

  const app = await createServiceApp({
    name: def.name,
    version: def.version,
    config,
    logger,
    // Ready means able to answer correctly: a command about a case needs the case view consuming.
    readiness: [postgresCheck(pool), kafkaCheck(() => pingKafka(kafka)), { name: 'case-view consumer', check: async () => consumer.readiness() }],
    routes: async (a) => {
      rejectedMessagesRoute(a, { pool, schema: def.schema, consumer: consumerName });
      amendmentRoutes(a, service);
      await def.routes(a, service, env);
    },
    openapi: {
      ...def.openapi,
      tags: [
        ...(def.openapi?.tags ?? []),
        { name: 'records', description: 'Corrections of the texts of the records this service recorded' },
        { name: 'operations', description: 'For supervisors and auditors: what the service set aside' },
      ],
    },
  });

  const expiry = startIdempotencyExpiry({
    pool,
    schema: def.schema,
    retentionMs: config.IDEMPOTENCY_RETENTION_HOURS * 3_600_000,
    intervalMs: config.IDEMPOTENCY_EXPIRY_INTERVAL_MS,
    logger,
  });

  const jobs = def.jobs?.(service, env) ?? [];

  // What a step abandoned at the grace period was waiting for, in the log line that says so.
  const shutdownHooks = [
    { name: 'stop idempotency expiry', run: () => expiry.stop() },
    ...jobs.map((j) => ({ name: `stop ${j.name}`, run: () => j.stop() })),
    ...outboxShutdownSteps(relay, logger),
    { name: 'stop case-events consumer', run: () => consumer.stop(), pending: () => ({ consumerGroup: consumerName, lag: consumer.lag() }) },
    { name: 'close Kafka producer', run: () => publisher.close() },
    { name: 'close PostgreSQL pool', run: () => pool.end(), pending: () => poolPending(pool) },
  ];
  return { app, service, relay, consumer, shutdownHooks };
}

/** main.ts of a command service: build, listen, and stop gracefully on SIGTERM. */
export async function runCommandService(def: CommandServiceDefinition): Promise<void> {
  await startBuiltService(def.name, async () => {
    const built = await buildCommandService(def);
    return { app: built.app, config: built.service.config, shutdownHooks: built.shutdownHooks };
  });
}
