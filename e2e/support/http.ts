import { randomUUID } from 'node:crypto';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  contentType: string;
  body: T;
}

/** A JSON HTTP call as any client would make it; answers status, content type and parsed body. */
export async function api<T = Record<string, unknown>>(
  baseUrl: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text for the assertion message
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: parsed as T };
}

export const newKey = () => randomUUID();

/** A command as a client sends one: POST with its own Idempotency-Key, so a retry would be safe. */
export async function postCommand<T = Record<string, unknown>>(baseUrl: string, path: string, token: string, body: unknown): Promise<ApiResponse<T>> {
  return api<T>(baseUrl, 'POST', path, { token, body, headers: { 'idempotency-key': newKey() } });
}

/** A labelling phrase a write answers, in the field it was found in. */
export interface LanguageFlag {
  field: string;
  phrase: string;
  position: number;
  matched: string;
  suggestion: string;
}
