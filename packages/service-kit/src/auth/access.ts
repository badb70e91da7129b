import type { FastifyRequest } from 'fastify';
import type { ProblemCode } from '../problems/catalog.js';
import { problem } from '../problems/problem.js';
import type { AuthUser, Role } from './claims.js';

/**
 * Throws 403 unless the caller has one of `allowed`. Returns the user so a handler can write
 * `const user = requireRole(request, 'social_worker', 'supervisor')`.
 */
export function requireRole(request: FastifyRequest, ...allowed: Role[]): AuthUser {
  const user = request.user;
  if (!allowed.includes(user.role)) {
    throw problem('FORBIDDEN', `This action needs the role ${allowed.join(' or ')}; the token's role is ${user.role}.`);
  }
  return user;
}

export function canSeeArea(user: AuthUser, area: string): boolean {
  return user.areas.includes(area);
}

/** The two codes of a record that does not exist: a case, or anything else the path names. */
export type NotFoundCode = Extract<ProblemCode, 'CASE_NOT_FOUND' | 'NOT_FOUND'>;

/**
 * A request that names an area the caller does not work in (a body's or a query's `area`) is refused
 * outright: it names no record, so nothing leaks by saying so. 403, naming the field; `so` says what
 * the caller cannot do there ("refer a child there").
 */
export function requireArea(user: AuthUser, area: string, field: string, so?: string): void {
  if (!canSeeArea(user, area)) {
    throw problem('FORBIDDEN', `You do not work in area ${area}${so ? `, so you cannot ${so}` : ''}.`, { errors: [{ field, message: 'not one of your areas' }] });
  }
}

/**
 * A case (or anything else that belongs to an area) outside the caller's areas must look exactly
 * like one that does not exist: 404, not 403, so that ids cannot be probed across areas. One call
 * answers both, with one code and one detail; `area` is undefined when the record does not exist:
 *
 *   const area = await caseArea(caseId);
 *   notFoundUnlessInArea(request.user, area, 'CASE_NOT_FOUND', `There is no case ${caseId} in your areas.`);
 */
export function notFoundUnlessInArea(user: AuthUser, area: string | undefined, code: NotFoundCode, detail: string): asserts area is string {
  if (area === undefined || !canSeeArea(user, area)) throw problem(code, detail);
}

/** The same for a record loaded whole: it, when it exists in one of the caller's areas; else the 404. */
export function foundInArea<T extends { area: string }>(user: AuthUser, record: T | undefined, code: NotFoundCode, detail: string): T {
  notFoundUnlessInArea(user, record?.area, code, detail);
  return record as T;
}

/**
 * The areas a listing covers: the one asked for, or all of the caller's. Asking for an area the
 * caller does not work in is refused outright (it names no record, so nothing leaks by saying so).
 */
export function areasToList(user: AuthUser, area: string | undefined): string[] {
  if (area === undefined) return [...user.areas];
  if (!canSeeArea(user, area)) throw problem('FORBIDDEN', `You do not work in area ${area}.`);
  return [area];
}
