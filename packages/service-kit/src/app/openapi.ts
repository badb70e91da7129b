import swagger, { type SwaggerTransform } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemCodesIntro, problemCodesTable } from '../problems/codes-table.js';
import { PROBLEM_CONTENT_TYPE, problemDetailsSchema } from '../problems/render.js';
import type { ServiceApp } from './types.js';

export interface OpenApiOptions {
  description?: string;
  tags?: Array<{ name: string; description?: string }>;
}

const { $schema: _dialect, ...problemJsonSchema } = z.toJSONSchema(problemDetailsSchema, { target: 'draft-2020-12' });

const problemResponse = {
  description: 'Problem details (RFC 9457)',
  content: { [PROBLEM_CONTENT_TYPE]: { schema: problemJsonSchema } },
};

/**
 * zod schemas → JSON Schema for the document, plus the problem+json answers every documented
 * route can give, so clients see the error shape without each route repeating it.
 */
const transform: SwaggerTransform = (document) => {
  const out = jsonSchemaTransform(document);
  const schema = out.schema as { response?: Record<string, unknown>; hide?: boolean } | undefined;
  const response = schema?.response;
  if (response && !schema.hide) {
    for (const range of ['4XX', '5XX']) response[range] ??= problemResponse;
  }
  return out;
};

/** The service's own words, then the catalog of error codes that every service shares. */
function withErrorCodes(description: string | undefined): string {
  return [description, '## Error codes', problemCodesIntro, problemCodesTable()].filter((part): part is string => Boolean(part)).join('\n\n');
}

/** OpenAPI 3.1 at `/docs/json`, Swagger UI at `/docs`; bearer auth on every route unless it says `security: []`. */
export async function registerOpenApi(app: ServiceApp, info: { title: string; version: string }, options: OpenApiOptions = {}): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: info.title, version: info.version, description: withErrorCodes(options.description) },
      tags: options.tags ?? [],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Mint a development token with `npm run -s token`.' },
        },
      },
      security: [{ bearerAuth: [] }],
    },
    transform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
