import { describe, expect, it } from 'vitest';
import { areasToList, foundInArea, notFoundUnlessInArea, requireArea } from './access.js';
import type { AuthUser } from './claims.js';

const user = { sub: 'sw-1', role: 'social_worker', areas: ['E09000001'] } as AuthUser;

describe('what a caller may name of an area', () => {
  it('given an area of theirs, requireArea lets the request on; another is a 403 naming the field and what they cannot do', () => {
    expect(() => requireArea(user, 'E09000001', 'body.area')).not.toThrow();
    expect(() => requireArea(user, 'E09000002', 'body.area', 'refer a child there')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', detail: 'You do not work in area E09000002, so you cannot refer a child there.', errors: [{ field: 'body.area', message: 'not one of your areas' }] }),
    );
  });

  it("given a record of another area, or none, notFoundUnlessInArea answers the same 404; a list names only the caller's areas", () => {
    const other = () => notFoundUnlessInArea(user, 'E09000002', 'CASE_NOT_FOUND', 'There is no case c-1 in your areas.');
    const none = () => notFoundUnlessInArea(user, undefined, 'CASE_NOT_FOUND', 'There is no case c-1 in your areas.');
    expect(other).toThrow(expect.objectContaining({ code: 'CASE_NOT_FOUND', status: 404 }));
    expect(none).toThrow(expect.objectContaining({ code: 'CASE_NOT_FOUND', status: 404 }));
    const mine = { id: 'r-1', area: 'E09000001' };
    expect(foundInArea(user, mine, 'NOT_FOUND', 'There is no record r-1 in your areas.')).toBe(mine);
    expect(() => foundInArea(user, { id: 'r-2', area: 'E09000002' }, 'NOT_FOUND', 'no')).toThrow(expect.objectContaining({ code: 'NOT_FOUND', status: 404 }));
    expect(areasToList(user, undefined)).toEqual(['E09000001']);
    expect(() => areasToList(user, 'E09000002')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });
});
