import { z } from 'zod';
import { agencySchema, interventionKindSchema } from '@syv/contracts';
import type { ServiceApp } from '@syv/service-kit';

const vocabulary = { agencies: agencySchema.options, interventionKinds: interventionKindSchema.options };

/**
 * GET /vocabulary.json: the values the page's forms offer, from the contracts the services check
 * bodies against, so a select never offers a value a service would refuse (and a new value needs no
 * change to the page).
 */
export function vocabularyRoute(app: ServiceApp): void {
  app.get(
    '/vocabulary.json',
    {
      config: { public: true },
      schema: {
        summary: 'The values the console’s forms offer',
        description: 'Agencies and intervention kinds, as the services accept them.',
        tags: ['pages'],
        response: { 200: z.object({ agencies: z.array(agencySchema), interventionKinds: z.array(interventionKindSchema) }) },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-cache');
      return vocabulary;
    },
  );
}
