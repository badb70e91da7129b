import { SOURCES } from '@syv/contracts';
import type { CommandServiceDefinition } from '@syv/command-service';
import { applyAssessment } from './closure/assessment.js';
import { closureRequestMigrations } from './closure/closure-requests.js';
import { closureRoutes } from './closure/routes.js';

export const caseClosureService: CommandServiceDefinition = {
  name: 'case-closure',
  version: '0.1.0',
  source: SOURCES.caseClosure,
  schema: 'case_closure',
  defaultPort: 3003,
  migrations: closureRequestMigrations,
  onCaseEvent: applyAssessment,
  caseEventTypes: ['closure.assessed.v1'],
  openapi: {
    description:
      'Closing a case is a small saga: a request is assessed against the closure rules; with no flags the case closes by itself, with flags it is held until a supervisor approves (with a written rationale) or rejects it. Closed cases can be reopened.',
    tags: [{ name: 'closure', description: 'Closure requests, supervisor decisions, reopening' }],
  },
  routes: (app, service) => closureRoutes(app, service),
};
