import type pg from 'pg';
import { waitForCase, type CaseRow, type CaseViewMemory } from '@syv/case-view';
import { canSeeArea, problem, type AuthUser } from '@syv/service-kit';

/**
 * Whether this service's case view may be missing cases that exist: its consumer has not joined
 * its group (e.g. reconnecting after a broker restart) or is far behind the topic.
 */
export type CaseViewBehind = () => boolean;

/**
 * The case a command is about, as this service's view knows it. A case in another area answers
 * exactly like one that does not exist (404), so case ids do not leak across areas. A case opened
 * a moment ago may not have reached the view yet: wait up to waitMs before saying it is not there,
 * and while the view is behind, say that it cannot tell yet (503) rather than that it is not there.
 */
export async function caseForCommand(
  pool: pg.Pool,
  schema: string,
  user: AuthUser,
  caseId: string,
  waitMs: number,
  behind: CaseViewBehind = () => false,
  memory?: CaseViewMemory,
): Promise<CaseRow> {
  const found = await visibleCase(pool, schema, user, caseId, waitMs, behind, memory);
  if (!found) {
    throw problem('CASE_NOT_FOUND', `There is no case ${caseId} in your areas.`);
  }
  return found;
}

/**
 * The case if it exists in one of the user's areas (after the short wait), else undefined; a 503
 * instead of undefined while the view is behind. Another area's case is answered as a missing one
 * in both states, so neither the status nor the time tells that it exists. With `memory`, a case it
 * holds is answered from there (another area's still waits out the window); any other goes to the
 * table exactly as without it.
 */
export async function visibleCase(
  pool: pg.Pool,
  schema: string,
  user: AuthUser,
  caseId: string,
  waitMs: number,
  behind: CaseViewBehind = () => false,
  memory?: CaseViewMemory,
): Promise<CaseRow | undefined> {
  const started = Date.now();
  const found = memory?.get(caseId) ?? (await lookUp(pool, schema, caseId, waitMs, memory));
  if (found && canSeeArea(user, found.area)) return found;
  // A case that does not exist is only known to be missing after the wait; another area's case must
  // not be answered sooner, or the time of the 404 would tell that it exists.
  if (found) await sleepUntil(started + waitMs);
  refuseWhileBehind(behind);
  return undefined;
}

/** The table, as before the memory (a miss waits for the case to arrive); what it finds is kept in memory. */
async function lookUp(pool: pg.Pool, schema: string, caseId: string, waitMs: number, memory: CaseViewMemory | undefined): Promise<CaseRow | undefined> {
  const mark = memory?.mark();
  const found = await waitForCase(pool, schema, caseId, waitMs);
  if (found && memory && mark !== undefined) memory.remember(found, mark);
  return found;
}

/** For a 404 that needed no case lookup: take as long as a lookup of a case that does not exist, and answer as it would. */
export async function missWait(waitMs: number, behind: CaseViewBehind = () => false): Promise<void> {
  await sleepUntil(Date.now() + waitMs);
  refuseWhileBehind(behind);
}

function refuseWhileBehind(behind: CaseViewBehind): void {
  if (behind()) {
    throw problem('NOT_READY', 'This service is catching up with the case log and cannot tell yet whether that case is in your areas; nothing was recorded. Retry shortly.', {
      headers: { 'retry-after': '2' },
    });
  }
}

function sleepUntil(deadline: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())));
}

/** 409 for work recorded on a closed case: the worker must reopen it first. */
export function refuseIfClosed(found: CaseRow, what: string): void {
  if (found.status === 'closed') {
    throw problem('CASE_CLOSED', `This case is closed, so ${what} cannot be added. Reopen the case first if the child needs support again.`);
  }
}
