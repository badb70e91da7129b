/** The projection's HTTP API as the auditor CLI uses it: bearer token, JSON, problem+json errors. */
export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function createApiClient(baseUrl: string, token: string, fetchImpl: typeof fetch = fetch): ApiClient {
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetchImpl(`${baseUrl.replace(/\/$/, '')}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch (err) {
      throw new ApiError(0, `cannot reach ${baseUrl}: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const p = parsed as { title?: string; detail?: string; errors?: { field: string; message: string }[] } | undefined;
      const fields = p?.errors?.map((e) => `\n  ${e.field}: ${e.message}`).join('') ?? '';
      throw new ApiError(res.status, `${res.status} ${p?.title ?? res.statusText}${p?.detail ? `: ${p.detail}` : ''}${fields}`);
    }
    return parsed as T;
  }
  return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body) };
}
