import type pg from 'pg';
import { withTransaction } from '@syv/event-store';
import { lockCasesCheckedBefore, recheckAndWrite } from '../read-model/cases.js';
import type { ReadModel } from '../read-model/context.js';

const PAGE = 1_000;

/**
 * The one input of the read model that is not in the log is the sweep's clock: the live time
 * rules have looked at a case at the events' times and at the times the sweep ran. The replay
 * applies the events only, then asks the time rules once more at the live read model's last look
 * at each case (its `flags_as_of` in the snapshot), as a sweep at that moment would have, a page
 * of cases per transaction. Returns how many cases it looked at again.
 */
export async function alignTimeRules(pool: pg.Pool, rm: ReadModel, liveFlagsAsOf: ReadonlyMap<string, Date>, stopped: () => boolean): Promise<number> {
  const checks = [...liveFlagsAsOf].sort(([a], [b]) => a.localeCompare(b)).map(([caseId, at]) => ({ caseId, at }));
  let aligned = 0;
  for (let i = 0; i < checks.length && !stopped(); i += PAGE) {
    aligned += await withTransaction(pool, async (client) => {
      const due = await lockCasesCheckedBefore(client, rm.schema, checks.slice(i, i + PAGE));
      await recheckAndWrite(client, rm, due);
      return due.length;
    });
  }
  return aligned;
}
