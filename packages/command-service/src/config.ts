import { z } from 'zod';
import { baseConfigSchema, envInt, envPort } from '@syv/service-kit';

/** What every command service reads from the environment, beyond the service kit's own. */
export function commandServiceConfigSchema(defaultPort: number) {
  return baseConfigSchema.extend({
    PORT: envPort(defaultPort),
    CASE_EVENTS_TOPIC: z.string().trim().min(1).default('case-events'),
    /** How long a command about a case this service has not heard of yet waits before answering 404. */
    CASE_VIEW_WAIT_MS: envInt(3_000, { min: 0, max: 30_000 }),
    OUTBOX_POLL_MS: envInt(500, { min: 10, max: 60_000 }),
    DATABASE_POOL_SIZE: envInt(10, { min: 1, max: 100 }),
  });
}
export type CommandServiceConfig = z.infer<ReturnType<typeof commandServiceConfigSchema>>;
