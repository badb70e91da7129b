import { z } from 'zod';
import { agencySchema, INTERVENTION_MINUTES_MAX, INTERVENTION_MINUTES_MIN, INTERVENTION_NOTES_MAX, interventionKindSchema, VIEWS_MAX } from '@syv/contracts';
import type { ServiceApp } from '@syv/service-kit';

const intervention = { notesMax: INTERVENTION_NOTES_MAX, viewsMax: VIEWS_MAX, minutesMin: INTERVENTION_MINUTES_MIN, minutesMax: INTERVENTION_MINUTES_MAX };
const vocabulary = { agencies: agencySchema.options, interventionKinds: interventionKindSchema.options, intervention };

/**
 * GET /vocabulary.json: the values the page's forms offer and the bounds they keep, from the
 * contracts the services check bodies against, so a select never offers a value a service would
 * refuse, a field never takes more than it would accept (and a new value needs no change to the page).
 */
export function vocabularyRoute(app: ServiceApp): void {
  app.get(
    '/vocabulary.json',
    {
      config: { public: true },
      schema: {
        summary: 'The values the console’s forms offer',
        description: 'Agencies and intervention kinds, and the bounds of an intervention’s notes, views and duration, as the services accept them.',
        tags: ['pages'],
        response: {
          200: z.object({
            agencies: z.array(agencySchema),
            interventionKinds: z.array(interventionKindSchema),
            intervention: z
              .object({ notesMax: z.number().int(), viewsMax: z.number().int(), minutesMin: z.number().int(), minutesMax: z.number().int() })
              .describe("The longest notes and the longest child's or family's views in characters, the shortest and longest duration in minutes."),
          }),
        },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-cache');
      return vocabulary;
    },
  );
}
