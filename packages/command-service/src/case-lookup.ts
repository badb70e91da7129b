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
  const started = Date.now();
  const found = await waitForCase(pool, schema, caseId, waitMs);
  if (found && canSeeArea(user, found.area)) return found;
  // A case that does not exist is only known to be missing after the wait; another area's case must
  // not be answered sooner, or the time of the 404 would tell that it exists.
  if (found) await sleepUntil(started + waitMs);
  return undefined;
}

/** For a 404 that needed no case lookup: take as long as a lookup of a case that does not exist. */
export function missWait(waitMs: number): Promise<void> {
  return sleepUntil(Date.now() + waitMs);
}

function sleepUntil(deadline: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())));
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
