import type pg from 'pg';
import { waitForCase, type CaseRow } from '@syv/case-view';
import { canSeeArea, createProblem, problem, type AuthUser } from '@syv/service-kit';

/**
 * The case a command is about, as this service's view knows it. A case in another area answers
 * exactly like one that does not exist (404), so case ids do not leak across areas. A case opened
 * a moment ago may not have reached the view yet: wait up to waitMs before saying it is not there.
 */
export async function caseForCommand(pool: pg.Pool, schema: string, user: AuthUser, caseId: string, waitMs: number): Promise<CaseRow> {
  const found = await visibleCase(pool, schema, user, caseId, waitMs);
  if (!found) {
    throw problem('NOT_FOUND', `There is no case ${caseId} in your areas.`);
  }
  return found;
}

/** The case if it exists in one of the user's areas (after the short wait), else undefined. */
export async function visibleCase(pool: pg.Pool, schema: string, user: AuthUser, caseId: string, waitMs: number): Promise<CaseRow | undefined> {
  const found = await waitForCase(pool, schema, caseId, waitMs);
  return found && canSeeArea(user, found.area) ? found : undefined;
}

/** 409 for work recorded on a closed case: the worker must reopen it first. */
export function refuseIfClosed(found: CaseRow, what: string): void {
  if (found.status === 'closed') {
    throw createProblem(
      'CASE_CLOSED',
      { status: 409, title: 'Conflict with the current state' },
      `This case is closed, so ${what} cannot be added. Reopen the case first if the child needs support again.`,
    );
  }
}
