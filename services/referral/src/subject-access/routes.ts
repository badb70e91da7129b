import { z } from 'zod';
import { problemResponses, type CommandService } from '@syv/command-service';
import { areaCode, childId } from '@syv/contracts';
import { envUrl, loadConfig, problem, requireArea, requireRole, type ServiceApp } from '@syv/service-kit';

// A subject access request: everything held about a child in an area, decrypted, as one JSON
// document. The read model holds every case event the services published (referrals, work,
// incidents, assessments, closures, corrections, erasures), with the flags, the alerts and who read
// each case; the key store holds the child's data keys. This service knows every child's cases and
// the key store, so it answers, asking the projection for its part with the officer's own token
// (the projection checks the role and the area again, and records the request in its access log).

const subjectAccessConfigSchema = z.object({
  /** Where the projection answers: its part of the document comes from there. */
  PROJECTION_URL: envUrl(['http', 'https']).default('http://127.0.0.1:3004'),
});

const PROJECTION_TIMEOUT_MS = 30_000;

const subjectAccessDocument = z.object({
  childId: z.string(),
  area: z.string(),
  generatedAt: z.string(),
  generatedBy: z.string().describe('The data protection officer who asked: the `sub` of their token.'),
  dataKeys: z
    .array(z.object({ keyId: z.uuid(), createdAt: z.string(), erasedAt: z.string().nullable(), erasedBy: z.string().nullable() }))
    .describe("The child's data keys in the area (never the keys themselves): texts sealed under an erased key read `[erased]` below."),
  cases: z
    .array(z.looseObject({ caseId: z.uuid() }))
    .describe(
      "Each of the child's cases in the area, from the projection (its GET /v1/children/{childId}/held): status, every event as published with its texts opened, the record read back with corrections, the flags, the alerts with the action taken, and every read of the case.",
    ),
});

export function subjectAccessRoutes(app: ServiceApp, service: CommandService, env: NodeJS.ProcessEnv): void {
  const { PROJECTION_URL } = loadConfig(subjectAccessConfigSchema, env);
  app.get(
    '/v1/children/:childId/record',
    {
      schema: {
        summary: 'Everything held about a child in an area (subject access)',
        description:
          "Data protection officers only, for a subject access request: one JSON document with the child's data keys (ids and dates, never the keys) and each of the child's cases in the area, with every event recorded about them, their texts opened (or `[erased]`), the record as workers read it (corrections applied, each marked with who, when and why), the flags, the alerts with the action taken, and every read of the case. The request is recorded in the access log. Events still in a service's outbox (normally for less than a second) are not yet included. A child with no case in the area is 404; an area not in the token is 403; 503 when the projection cannot be reached.",
        tags: ['erasure'],
        params: z.object({ childId: childId() }),
        querystring: z.object({ area: areaCode() }).strict(),
        response: { 200: subjectAccessDocument, ...problemResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'data_protection_officer');
      const { childId: child } = request.params;
      const { area } = request.query;
      requireArea(user, area, 'query.area', "see a child's record there");
      const held = await heldByProjection(PROJECTION_URL, child, area, request.headers.authorization ?? '');
      const keys = await service.keys.keysOf({ area, childId: child });
      service.logger.info({ dpo: user.sub, area, cases: held.cases.length }, 'subject access document exported');
      return {
        childId: child,
        area,
        generatedAt: new Date().toISOString(),
        generatedBy: user.sub,
        dataKeys: keys.map((k) => ({ keyId: k.keyId, createdAt: k.createdAt.toISOString(), erasedAt: k.erasedAt?.toISOString() ?? null, erasedBy: k.erasedBy })),
        cases: held.cases,
      };
    },
  );
}

/** The projection's part, asked with the officer's own token; its refusals are passed on in this service's words. */
async function heldByProjection(base: string, child: string, area: string, authorization: string): Promise<{ cases: { caseId: string }[] }> {
  let res: Response;
  try {
    res = await fetch(`${base}/v1/children/${encodeURIComponent(child)}/held?area=${encodeURIComponent(area)}`, {
      headers: { authorization, accept: 'application/json' },
      signal: AbortSignal.timeout(PROJECTION_TIMEOUT_MS),
    });
  } catch (err) {
    throw problem('NOT_READY', `The projection, which holds the child's case histories, cannot be reached (${(err as Error).message}); nothing was exported. Try again shortly.`);
  }
  if (res.status === 404) throw problem('CHILD_NOT_FOUND', `The child ${child} has no case in area ${area}.`);
  // A refusal there is a refusal here (a token it does not accept, say a secret that differs between
  // the services); only a projection that cannot answer is "not ready".
  if (res.status === 401) throw problem('UNAUTHENTICATED', 'The projection did not accept the token; nothing was exported.');
  if (res.status === 403) throw problem('FORBIDDEN', 'The projection refused this request for the token given; nothing was exported.');
  if (!res.ok) throw problem('NOT_READY', `The projection, which holds the child's case histories, answered ${res.status}; nothing was exported. Try again shortly.`);
  try {
    return (await res.json()) as { cases: { caseId: string }[] };
  } catch (err) {
    throw problem('NOT_READY', `The projection's answer could not be read (${(err as Error).message}); nothing was exported. Try again shortly.`);
  }
}
