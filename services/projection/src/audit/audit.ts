import type pg from 'pg';
import type { KeyStore } from '@syv/personal-data';
import type { Logger } from 'pino';
import { migrate } from '@syv/event-store';
import type { KafkaConnection } from '@syv/messaging';
import type { ServiceApp } from '@syv/service-kit';
import type { ReadModel } from '../read-model/context.js';
import { auditMigrations, auditSchemaOf } from './audit-schema.js';
import { faultInjectionFrom } from './fault-injection.js';
import { createReplayRunner } from './replay-runner.js';
import { auditRoutes } from './routes.js';

interface AuditOptions {
  pool: pg.Pool;
  readModel: ReadModel;
  /** Opens the sealed texts of the history auditors read. */
  keys: KeyStore;
  liveConsumer: string;
  kafka: KafkaConnection;
  topic: string;
  env: NodeJS.ProcessEnv;
  /** Most messages a replay applies in one transaction. */
  replaySliceSize: number;
  logger: Logger;
}

interface Audit {
  routes(app: ServiceApp): void;
  /** Cancels a replay running in this process (its shadow is dropped; an auditor starts it again). */
  stop(): Promise<void>;
}

/** The auditors' capability, wired: its own schema migrated, the replay runner, the routes. */
export async function prepareAudit(o: AuditOptions): Promise<Audit> {
  // A bad fault-injection setting stops the start, naming the variable.
  const fault = faultInjectionFrom(o.env);
  if (fault) o.logger.warn({ fault }, 'REPLAY FAULT INJECTION IS ON: replays will differ on purpose and cannot be promoted');
  await migrate(o.pool, auditSchemaOf(o.readModel.schema), auditMigrations, { logger: o.logger });
  const runner = createReplayRunner({ pool: o.pool, readModel: o.readModel, liveConsumer: o.liveConsumer, kafka: o.kafka, topic: o.topic, fault, sliceSize: o.replaySliceSize, logger: o.logger });
  return {
    routes: (app) => auditRoutes(app, { pool: o.pool, readModel: o.readModel, keys: o.keys, liveConsumer: o.liveConsumer, kafka: o.kafka, topic: o.topic, logger: o.logger, runner }),
    stop: () => runner.stop(),
  };
}
