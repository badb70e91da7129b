// Helpers for this package's own tests (not exported): an app with a known secret, tokens for
// it, and a log sink that can be read back.
import type { DestinationStream } from 'pino';
import { baseConfigSchema, type BaseConfig } from '../config/base-config.js';
import { loadConfig, type Env } from '../config/load-config.js';
import { mintDevToken, type DevTokenRequest } from '../auth/dev-token.js';
import { createLogger } from '../logging/create-logger.js';
import { createServiceApp } from './create-service-app.js';
import type { ServiceApp, ServiceAppOptions } from './types.js';

export const TEST_SECRET = 'service-kit-unit-test-secret-0123456789';

export function testConfig(env: Env = {}): BaseConfig {
  return loadConfig(baseConfigSchema, { JWT_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', ...env });
}

export interface LogCapture {
  stream: DestinationStream;
  text(): string;
  lines(): Array<Record<string, unknown>>;
}

export function captureLogs(): LogCapture {
  const chunks: string[] = [];
  return {
    stream: { write: (chunk: string) => void chunks.push(chunk) },
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export async function buildTestApp(
  options: Partial<ServiceAppOptions> & { env?: Env; logs?: LogCapture } = {},
): Promise<ServiceApp> {
  const { env, logs, ...rest } = options;
  const config = rest.config ?? testConfig(env);
  return createServiceApp({
    name: 'test-service',
    version: '0.0.0-test',
    readiness: [],
    routes: () => undefined,
    ...(logs ? { logger: createLogger({ name: 'test-service', level: 'debug', destination: logs.stream }) } : {}),
    ...rest,
    config,
  });
}

export function testToken(overrides: Partial<DevTokenRequest> = {}): Promise<string> {
  return mintDevToken({ sub: 'user-1', role: 'social_worker', areas: ['E09000001'], ttl: '1h', secret: TEST_SECRET, ...overrides });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
