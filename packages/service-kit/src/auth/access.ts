import type { FastifyRequest } from 'fastify';
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

/**
 * A case (or anything else that belongs to an area) outside the caller's areas must look exactly
 * like one that does not exist: 404, not 403, so that case ids cannot be probed across areas.
 * Call it after loading the thing, with the same detail the "really missing" path uses:
 *
 *   const c = await cases.find(caseId);
 *   if (!c) throw problem('NOT_FOUND', `Case ${caseId} was not found`);
 *   notFoundUnlessInArea(request.user, c.area, `Case ${caseId}`);
 */
export function notFoundUnlessInArea(user: AuthUser, area: string, what: string): void {
  if (!canSeeArea(user, area)) throw problem('NOT_FOUND', `${what} was not found`);
}
