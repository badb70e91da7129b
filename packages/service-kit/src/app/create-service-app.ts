import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { authPlugin } from '../auth/auth-plugin.js';
import { createVerifier } from '../auth/verifier.js';
import { healthPlugin } from '../health/health-routes.js';
import { drainPlugin } from '../lifecycle/drain-plugin.js';
import { createLogger } from '../logging/create-logger.js';
import { createMetrics } from '../metrics/metrics.js';
import { metricsPlugin } from '../metrics/metrics-plugin.js';
import { clientErrorHandler, frameworkErrors } from '../problems/framework-errors.js';
import { problemHandlerPlugin } from '../problems/problem-handler.js';
import { strictJsonBodies } from './json-body-parser.js';
import { registerOpenApi } from './openapi.js';
import { genRequestId, REQUEST_ID_HEADER } from './request-id.js';
import type { ServiceApp, ServiceAppOptions } from './types.js';

export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * Builds a service's HTTP app: zod-validated and documented routes, problem+json errors, bearer
 * auth, request ids, redacted logs, health, metrics. The order below matters: error handler and
 * hooks first, documentation before any route (it records routes as they are added), routes last.
 */
export async function createServiceApp(options: ServiceAppOptions): Promise<ServiceApp> {
  const { name, version, config } = options;
  const logger = options.logger ?? createLogger({ name, level: config.LOG_LEVEL });

  const app: ServiceApp = Fastify<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger>({
    loggerInstance: logger,
    genReqId: genRequestId,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Only JSON bodies: Fastify would otherwise hand a text/plain body to the validator as a string,
  // and the client would get a confusing 400 instead of a 415.
  app.removeContentTypeParser('text/plain');
  strictJsonBodies(app);

  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });

  await app.register(problemHandlerPlugin);
  await app.register(drainPlugin);
  await app.register(metricsPlugin, { metrics: createMetrics(name) });
  await app.register(authPlugin, { verifier: createVerifier(config, { logger }), realm: name });
  await registerOpenApi(app, { title: name, version }, options.openapi);
  await app.register(healthPlugin, {
    checks: options.readiness,
    ...(options.readinessTimeoutMs === undefined ? {} : { defaultTimeoutMs: options.readinessTimeoutMs }),
  });

  await options.routes(app);
  return app;
}
