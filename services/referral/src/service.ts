import { SOURCES } from '@syv/contracts';
import type { CommandServiceDefinition } from '@syv/command-service';
import { loadConfig, envInt } from '@syv/service-kit';
import { z } from 'zod';
import { erasureRoutes } from './erasure/routes.js';
import { onwardReferralRoutes } from './onward-referral/routes.js';
import { allocationRoutes } from './referral/allocation-routes.js';
import { referralRoutes } from './referral/routes.js';
import { startRetention } from './retention/job.js';
import { retentionRoutes } from './retention/routes.js';
import { subjectAccessRoutes } from './subject-access/routes.js';

const DAY_MS = 86_400_000;

/** The referral service's own settings, beside every command service's. */
const retentionConfigSchema = z.object({
  /** How often the retention job erases the children whose period ended (also once at start); 0 disables it. */
  RETENTION_INTERVAL_MS: envInt(DAY_MS, { min: 0, max: 7 * DAY_MS }).refine((ms) => ms === 0 || ms >= 1_000, { error: 'must be 0 (disabled) or at least 1000 ms' }),
});

export const referralService: CommandServiceDefinition = {
  name: 'referral',
  version: '0.1.0',
  source: SOURCES.referral,
  schema: 'referral',
  defaultPort: 3001,
  migrations: () => [],
  openapi: {
    description:
      'Referrals of children affected by serious youth violence: a referral joins the child\'s open case in its area or opens one; cases are allocated to a worker; onward referrals to other agencies (CAMHS, housing…) are recorded and their start is watched.',
    tags: [
      { name: 'referrals', description: 'Referrals, cases and their allocation' },
      { name: 'onward referrals', description: 'Referrals on to other agencies, and their waits' },
      { name: 'erasure', description: "A data protection officer's requests: erasure, retention, subject access" },
    ],
  },
  routes: (app, service, env) => {
    referralRoutes(app, service);
    allocationRoutes(app, service);
    onwardReferralRoutes(app, service);
    erasureRoutes(app, service);
    retentionRoutes(app, service);
    subjectAccessRoutes(app, service, env);
  },
  jobs: (service, env) => {
    const { RETENTION_INTERVAL_MS } = loadConfig(retentionConfigSchema, env);
    return [{ name: 'retention job', ...startRetention(service, { intervalMs: RETENTION_INTERVAL_MS }) }];
  },
};
