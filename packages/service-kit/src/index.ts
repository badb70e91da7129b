// The public surface of @syv/service-kit. Services import from here only.

export { createServiceApp, DEFAULT_BODY_LIMIT } from './app/create-service-app.js';
export type { ServiceApp, ServiceAppOptions } from './app/types.js';
export type { OpenApiOptions } from './app/openapi.js';
export { REQUEST_ID_HEADER } from './app/request-id.js';

export { baseConfigSchema, DEV_JWT_SECRET, logLevels, type BaseConfig, type LogLevel } from './config/base-config.js';
export { envInt, envList, envPort, envUrl } from './config/env-schemas.js';
export { isConfigError, loadConfig, loadConfigOrExit, type ConfigError, type ConfigIssue, type Env } from './config/load-config.js';

export { problemCatalog, problemTypeUri, type ProblemCode, type ProblemDefinition } from './problems/catalog.js';
export { isProblem, problem, type FieldError, type ProblemError, type ProblemExtra } from './problems/problem.js';
export { PROBLEM_CONTENT_TYPE, problemDetailsSchema, sendProblem, toProblemBody, type ProblemBody } from './problems/render.js';

export { caseRoles, roles, tokenClaimsSchema, type AuthUser, type Role } from './auth/claims.js';
export { createVerifier, type AuthConfig, type Verifier, type VerifierOptions, type VerifyFailureReason, type VerifyResult } from './auth/verifier.js';
export { areasToList, canSeeArea, foundInArea, notFoundUnlessInArea, requireArea, requireRole } from './auth/access.js';
export { mintDevToken, type DevTokenRequest } from './auth/dev-token.js';
export { isPublicRoute } from './auth/public-routes.js';

export { createLogger, type LoggerOptions } from './logging/create-logger.js';
export { defaultRedactedKeys, REDACTED } from './logging/redaction.js';

export { postgresCheck, kafkaCheck } from './health/checks.js';
export { runReadinessChecks, type CheckOutcome, type ReadinessCheck } from './health/readiness.js';

export { createMetrics, type AppMetrics } from './metrics/metrics.js';

export {
  BACKSTOP_MARGIN_MS,
  runService,
  startBuiltService,
  workerBackstop,
  type Backstop,
  type ListeningApp,
  type RunningService,
  type RunServiceOptions,
  type Runtime,
  type ShutdownHook,
} from './lifecycle/run-service.js';
export { poolPending } from './lifecycle/pending.js';
