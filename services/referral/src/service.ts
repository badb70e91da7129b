import { SOURCES } from '@syv/contracts';
import type { CommandServiceDefinition } from '@syv/command-service';
import { erasureRoutes } from './erasure/routes.js';
import { onwardReferralRoutes } from './onward-referral/routes.js';
import { allocationRoutes } from './referral/allocation-routes.js';
import { referralRoutes } from './referral/routes.js';

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
      { name: 'erasure', description: "A data protection officer erases a child's personal texts" },
    ],
  },
  routes: (app, service) => {
    referralRoutes(app, service);
    allocationRoutes(app, service);
    onwardReferralRoutes(app, service);
    erasureRoutes(app, service);
  },
};
