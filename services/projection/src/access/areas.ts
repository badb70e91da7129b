import { canSeeArea, problem, type AuthUser } from '@syv/service-kit';

/**
 * The areas a listing covers: the one asked for, or all of the caller's. Asking for an area the
 * caller does not work in is refused outright (it names no case, so nothing leaks by saying so).
 */
export function areasToList(user: AuthUser, area: string | undefined): string[] {
  if (area === undefined) return [...user.areas];
  if (!canSeeArea(user, area)) throw problem('FORBIDDEN', `You do not work in area ${area}.`);
  return [area];
}
