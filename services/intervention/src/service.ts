import { SOURCES } from '@syv/contracts';
import type { CommandServiceDefinition } from '@syv/command-service';
import { caseActivityRoutes, languageCheckRoute } from './case-activity/routes.js';

export const interventionService: CommandServiceDefinition = {
  name: 'intervention',
  version: '0.1.0',
  source: SOURCES.intervention,
  schema: 'intervention',
  defaultPort: 3002,
  migrations: () => [],
  openapi: {
    description:
      'What agencies do for a child on an open case: interventions (with suggestions where the notes use labelling language), incidents and risk assessments.',
    tags: [
      { name: 'interventions', description: 'Work with the child or family' },
      { name: 'incidents', description: 'Harm, weapons, exploitation, missing episodes' },
      { name: 'risk assessments', description: 'Risk level and extra-familial harm' },
    ],
  },
  routes: (app, service) => {
    caseActivityRoutes(app, service);
    languageCheckRoute(app, service.languageFlags);
  },
};
