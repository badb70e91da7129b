// Every call the page makes goes to /api/<service>/v1/..., which the console forwards unchanged to
// that service's public API: the page can show nothing another client could not get.

const TOKEN_KEY = 'syv.console.token';

/** The token lives in this tab only (sessionStorage): closing the tab signs out. */
export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token) => sessionStorage.setItem(TOKEN_KEY, token.trim()),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
  /** What the token says about its holder, for display and navigation only: the services verify it. */
  claims() {
    const token = this.token();
    if (!token) return null;
    try {
      const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const claims = JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, '=')));
      return { sub: String(claims.sub ?? ''), role: String(claims.role ?? ''), areas: Array.isArray(claims.areas) ? claims.areas.map(String) : [], exp: Number(claims.exp ?? 0) };
    } catch {
      return null;
    }
  },
};

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.detail ?? body?.title ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export function authHeaders() {
  const token = session.token();
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** A JSON call to one service's public API; throws ApiError with the problem details on 4xx/5xx (`err.body.code` says which). */
export async function api(service, path, { method = 'GET', body, signal, headers: extra = {} } = {}) {
  const headers = { accept: 'application/json', ...extra, ...authHeaders() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`/api/${service}${path}`, { method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = { detail: text.slice(0, 300) };
  }
  if (!res.ok) {
    if (res.status === 401) window.dispatchEvent(new CustomEvent('console:unauthenticated'));
    throw new ApiError(res.status, parsed);
  }
  return parsed;
}

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * An Idempotency-Key for one thing a user means to record: sent again with a retry of the same form,
 * so a lost answer or a second click cannot record it twice. getRandomValues works on plain http too.
 */
export function idempotencyKey() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

let vocabularyOnce;
/** The values the forms offer (agencies, intervention kinds), as the services accept them; fetched once. */
export function vocabulary() {
  vocabularyOnce ??= fetch('/vocabulary.json', { cache: 'no-cache' }).then(async (res) => {
    if (!res.ok) throw new ApiError(res.status, { detail: 'The form’s choices could not be loaded.' });
    return res.json();
  });
  vocabularyOnce.catch(() => {
    vocabularyOnce = undefined;
  });
  return vocabularyOnce;
}
