import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseConfigSchema } from './base-config.js';
import { envInt, envPort } from './env-schemas.js';
import { isConfigError, loadConfig, loadConfigOrExit } from './load-config.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig(baseConfigSchema, {})).toEqual({
      PORT: 3000,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      SHUTDOWN_GRACE_MS: 10_000,
    });
  });

  it('parses values from their text form', () => {
    const config = loadConfig(baseConfigSchema, {
      PORT: '3004',
      KAFKA_BROKERS: ' k1:9092, k2:9092 ,',
      JWT_SECRET: 's3cret',
      JWT_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({ PORT: 3004, KAFKA_BROKERS: ['k1:9092', 'k2:9092'], JWT_SECRET: 's3cret', LOG_LEVEL: 'debug' });
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig(baseConfigSchema, { PORT: '', JWT_SECRET: '' });
    expect(config.PORT).toBe(3000);
    expect(config.JWT_SECRET).toBeUndefined();
  });

  it('names every bad variable and why, without echoing values', () => {
    let error: unknown;
    try {
      loadConfig(baseConfigSchema, { PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://root:hunter2@db/x', JWT_JWKS_URL: 'not a url' });
    } catch (err) {
      error = err;
    }
    expect(isConfigError(error)).toBe(true);
    if (!isConfigError(error)) return;
    expect(error.issues).toEqual([
      { variable: 'PORT', message: 'must be a whole number' },
      { variable: 'LOG_LEVEL', message: 'must be one of fatal, error, warn, info, debug, trace, silent' },
      { variable: 'DATABASE_URL', message: 'must be a URL starting with postgres:// or postgresql://' },
      { variable: 'JWT_JWKS_URL', message: 'must be a valid URL' },
    ]);
    expect(error.message).toContain('PORT: must be a whole number');
    expect(error.message).not.toContain('hunter2');
  });

  it('reports ranges and required variables of a service schema', () => {
    const schema = baseConfigSchema.extend({ PORT: envPort(3001), RELAY_BATCH: envInt(100, { min: 1, max: 1000 }), TOPIC: z.string() });
    expect(loadConfig(schema, { TOPIC: 'case-events' })).toMatchObject({ PORT: 3001, RELAY_BATCH: 100 });
    expect(() => loadConfig(schema, { PORT: '70000', RELAY_BATCH: '0' })).toThrow(
      /PORT: must be at most 65535\n {2}RELAY_BATCH: must be at least 1\n {2}TOPIC: is required but not set/,
    );
  });
});

describe('loadConfigOrExit', () => {
  it('prints the problems and exits 1', () => {
    const printed: string[] = [];
    const exit = (code: number): never => {
      throw new Error(`exit ${code}`);
    };
    expect(() => loadConfigOrExit(baseConfigSchema, { SHUTDOWN_GRACE_MS: '-5' }, { exit, error: (l) => void printed.push(l) })).toThrow('exit 1');
    expect(printed.join('\n')).toMatch(/Invalid configuration.*\n {2}SHUTDOWN_GRACE_MS: must be a whole number/);
  });
});
