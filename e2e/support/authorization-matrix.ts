import type { Role } from '@syv/service-kit';

// The access rules as expectations, for any route: who may act, and what everyone else sees.

export type Principal = Role | 'no_token' | 'expired_token' | 'foreign_signature';
export const principals: Principal[] = ['social_worker', 'supervisor', 'auditor', 'data_protection_officer', 'no_token', 'expired_token', 'foreign_signature'];

/** The record a request is aimed at: in the caller's area, in another area, or none at all. */
export type Target = 'own' | 'other' | 'unknown';

/**
 * How a route belongs to an area: through the record in its path (a case, a closure request, an
 * onward referral, an alert), through the `area` of its body (a new referral), through a filter of
 * a list (`area-filter`: asked for another area's list; `record-filter`: asked for the entries of
 * another area's case), through a record that belongs to no area (`global`: a replay of the whole
 * log), or not at all (operations, the alert stream).
 */
export type Scope = 'record' | 'body-area' | 'area-filter' | 'record-filter' | 'global' | 'none';

export interface Expected {
  status: number;
  code?: string;
}

/**
 * What a role that may act gets for a record of its own area that is still not its own: a
 * colleague's alert or caseload, a case a colleague holds. Given per role, for the own-area target
 * only; another area's record and an unknown id are answered as ever.
 */
export type NotTheirs = Partial<Record<Role, Expected>>;

export function targetsOf(scope: Scope): Target[] {
  if (scope === 'record') return ['own', 'other', 'unknown'];
  if (scope === 'body-area' || scope === 'area-filter' || scope === 'record-filter') return ['own', 'other'];
  if (scope === 'global') return ['own', 'unknown'];
  return ['own'];
}

/**
 * 401 without a valid token; 403 for a role that may not act, whatever the target (the role is
 * checked before any record is loaded, so the answer is the same for a record that exists and one
 * that does not: it tells nothing); for a role that may act, success in its own area, and for
 * another area's record exactly what an unknown id gets (404). Creating in another area is a 403:
 * there is no record whose existence could leak; so is listing another area (`?area=`), which names
 * no record. A list filtered by another area's record answers as for a record that does not exist:
 * success with none of it (the test checks that no id of the other area is in any answer). A
 * record of the caller's own area that belongs to a colleague (`notTheirs`) gets what the entry
 * says for that role: a colleague's alert is answered as one that does not exist.
 */
export function expected(principal: Principal, allowed: readonly Role[], scope: Scope, target: Target, success: number, notTheirs: NotTheirs = {}): Expected {
  if (principal === 'no_token' || principal === 'expired_token' || principal === 'foreign_signature') return { status: 401, code: 'UNAUTHENTICATED' };
  if (!allowed.includes(principal)) return { status: 403, code: 'FORBIDDEN' };
  const colleagues = notTheirs[principal];
  if (colleagues && target === 'own') return colleagues;
  if (target === 'own' || scope === 'none') return { status: success };
  if (scope === 'body-area' || scope === 'area-filter') return { status: 403, code: 'FORBIDDEN' };
  if (scope === 'record-filter') return { status: success };
  return { status: 404 };
}

/** A problem body without what differs by request (its id, URL, and the ids the caller sent). */
export function comparable(body: unknown, ids: string[]): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const { requestId: _r, instance: _i, ...rest } = body as Record<string, unknown>;
  let text = JSON.stringify(rest);
  for (const id of ids) text = text.replaceAll(id, '<id>');
  return JSON.parse(text) as unknown;
}

const short: Record<Principal, string> = {
  social_worker: 'sw',
  supervisor: 'sup',
  auditor: 'aud',
  data_protection_officer: 'dpo',
  no_token: 'none',
  expired_token: 'exp',
  foreign_signature: 'alien',
};

/** One line per route: each principal's answers for own / other / unknown targets. */
export function formatMatrix(rows: { route: string; cells: Map<string, number> }[]): string {
  const header = ['route'.padEnd(72), ...principals.map((p) => `${short[p]} own/oth/unk`.padEnd(17))].join('');
  const lines = rows.map(({ route, cells }) => {
    const cols = principals.map((p) => (['own', 'other', 'unknown'] as const).map((t) => String(cells.get(`${p}:${t}`) ?? '-')).join('/').padEnd(17));
    return [route.padEnd(72), ...cols].join('');
  });
  return [header, ...lines].join('\n');
}
