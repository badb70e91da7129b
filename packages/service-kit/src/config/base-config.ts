import { z } from 'zod';
import { envInt, envList, envPort, envUrl } from './env-schemas.js';

/**
 * The HS256 secret used when `JWT_SECRET` is unset, so that `npm start` works on a fresh checkout.
 * It is public (it is in this file), so anything signed with it proves nothing; services log a
 * loud warning whenever they fall back to it. Production sets `JWT_JWKS_URL` (RS256) instead.
 */
export const DEV_JWT_SECRET = 'dev-only-insecure-secret-change-me';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/**
 * Variables every service reads. A service extends it with its own:
 * `baseConfigSchema.extend({ PORT: envPort(3001), OUTBOX_POLL_MS: envInt(500) })`.
 */
export const baseConfigSchema = z.object({
  PORT: envPort(3000),
  HOST: z.string().trim().min(1, 'must not be empty').default('127.0.0.1'),
  LOG_LEVEL: z
    .enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` })
    .default('info'),
  DATABASE_URL: envUrl(['postgres', 'postgresql']).default('postgres://postgres@127.0.0.1:5432/postgres'),
  KAFKA_BROKERS: envList(['127.0.0.1:9092']),
  /** HS256 secret for development; unset means DEV_JWT_SECRET (with a warning). */
  JWT_SECRET: z.string().min(1).optional(),
  /** When set, tokens are verified with RS256 against this JWKS and HS256 is refused. */
  JWT_JWKS_URL: envUrl(['https', 'http']).optional(),
  JWT_ISSUER: z.string().trim().min(1).optional(),
  JWT_AUDIENCE: z.string().trim().min(1).optional(),
  /** How long a graceful shutdown may take before the process gives up and exits 1. */
  SHUTDOWN_GRACE_MS: envInt(10_000, { min: 0 }),
});

export type BaseConfig = z.output<typeof baseConfigSchema>;
