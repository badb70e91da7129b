import { z } from 'zod';
import { baseConfigSchema, envPort, envUrl } from '@syv/service-kit';

const upstream = (port: number) => envUrl(['http', 'https']).default(`http://127.0.0.1:${port}`);

export const consoleConfigSchema = baseConfigSchema.extend({
  PORT: envPort(3005),
  // The public HTTP APIs the page talks to through /api/<service>/*; the defaults are the services'
  // own default ports, so `npm start` needs nothing set.
  REFERRAL_URL: upstream(3001),
  INTERVENTION_URL: upstream(3002),
  CASE_CLOSURE_URL: upstream(3003),
  PROJECTION_URL: upstream(3004),
  /**
   * `1` adds GET /dev-token, which signs a token with the development secret for anyone who asks.
   * Only `npm start` and the tests set it; docker-compose and production leave it off.
   */
  CONSOLE_DEV_TOKENS: z
    .enum(['0', '1', 'true', 'false'], { error: 'must be 1 or 0' })
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
});
export type ConsoleConfig = z.output<typeof consoleConfigSchema>;

/** The path segment under /api/ → the service behind it. */
export function upstreams(config: ConsoleConfig): Record<string, string> {
  return {
    referral: config.REFERRAL_URL,
    intervention: config.INTERVENTION_URL,
    'case-closure': config.CASE_CLOSURE_URL,
    projection: config.PROJECTION_URL,
  };
}
