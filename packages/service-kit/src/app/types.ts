import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { BaseConfig } from '../config/base-config.js';
import type { ReadinessCheck } from '../health/readiness.js';
import type { OpenApiOptions } from './openapi.js';

/** A Fastify instance whose routes take zod schemas: `app.post(url, { schema: { body, response } }, handler)`. */
export type ServiceApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression<RawServerDefault>,
  RawReplyDefaultExpression<RawServerDefault>,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface ServiceAppOptions {
  /** e.g. `referral`; the OpenAPI title, the logger name and the `service` metric label. */
  name: string;
  version: string;
  config: BaseConfig;
  /** A logger from createLogger (so redaction applies); one is made from config.LOG_LEVEL if omitted. */
  logger?: Logger;
  /** Adds the service's routes. Runs after every kit plugin is in place. */
  routes: (app: ServiceApp) => void | Promise<void>;
  readiness: readonly ReadinessCheck[];
  openapi?: OpenApiOptions;
  /** Largest accepted request body in bytes; 64 KiB by default (case records are small JSON). */
  bodyLimit?: number;
  /** Default per-check readiness timeout in ms. */
  readinessTimeoutMs?: number;
}
