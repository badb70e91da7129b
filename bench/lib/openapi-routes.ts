/** A JSON Schema as @fastify/swagger documents it; only the keywords the bench reads. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  example?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

export interface DocumentedRoute {
  service: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As documented, e.g. `/v1/cases/{caseId}/interventions`. */
  path: string;
  /** `POST /v1/cases/{caseId}/interventions`: how the matrices name a route. */
  key: string;
  pathParams: string[];
  query: { name: string; required: boolean; schema: JsonSchema }[];
  body?: JsonSchema;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { security?: unknown[]; parameters?: { in: string; name: string; required?: boolean; schema: JsonSchema }[]; requestBody?: { content?: Record<string, { schema: JsonSchema }> } }>>;
}

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * Every route a service documents that needs a token, read from its own /docs/json: the matrices
 * and the fuzzer start from this list, so a route added later is tested (or fails the matrix for
 * want of an entry) without anyone remembering to add it. `security: []` marks public routes.
 */
export async function documentedRoutes(service: string, baseUrl: string): Promise<DocumentedRoute[]> {
  const res = await fetch(`${baseUrl}/docs/json`);
  if (!res.ok) throw new Error(`${service}: GET /docs/json answered ${res.status}`);
  const doc = (await res.json()) as OpenApiDocument;
  const routes: DocumentedRoute[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const m of methods) {
      const op = operations[m];
      if (!op || (Array.isArray(op.security) && op.security.length === 0)) continue;
      const method = m.toUpperCase() as DocumentedRoute['method'];
      const params = op.parameters ?? [];
      const body = bodyObject(op.requestBody?.content?.['application/json']?.schema);
      routes.push({
        service,
        method,
        path,
        key: `${method} ${path}`,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, required: p.required === true, schema: p.schema })),
        ...(body ? { body } : {}),
      });
    }
  }
  return routes;
}

/**
 * The object a body is when it is sent: an optional body is documented as `anyOf: [object, null]`
 * (nothing sent is as good as `{}`), and the requests are built from its object branch.
 */
function bodyObject(schema: JsonSchema | undefined): JsonSchema | undefined {
  const branches = schema?.anyOf ?? schema?.oneOf;
  if (!branches) return schema;
  return branches.find((b) => b.type === 'object' || b.properties !== undefined) ?? schema;
}

/** `/v1/cases/{caseId}/reopen` with `{ caseId: 'c-1' }` → `/v1/cases/c-1/reopen`; values are sent as given. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for path parameter ${name} of ${path}`);
    return value;
  });
}
