import type pg from 'pg';
import { withTransaction } from '@syv/event-store';
import { lockCasesCheckedBefore, recheckAndWrite } from '../read-model/cases.js';
import type { ReadModel } from '../read-model/context.js';

const PAGE = 1_000;

/**
 * The one input of the read model that is not in the log is the sweep's clock: the live time
 * rules have looked at a case at the events' times and at the times the sweep ran. The replay
 * applies the events only, then asks the time rules once more at the live read model's last look
 * at each case (its `flags_as_of` in the snapshot, read a page at a time by `liveChecks`), as a
 * sweep at that moment would have, a page of cases per transaction. Returns how many cases it looked at again.
 */
export async function alignTimeRules(
  pool: pg.Pool,
  rm: ReadModel,
  liveChecks: (after: string | null, limit: number) => Promise<{ caseId: string; at: Date }[]>,
  stopped: () => boolean,
): Promise<number> {
  let aligned = 0;
  for (let after: string | null = null; !stopped(); ) {
    const page = await liveChecks(after, PAGE);
    if (page.length === 0) break;
    aligned += await withTransaction(pool, async (client) => {
      const due = await lockCasesCheckedBefore(client, rm.schema, page);
      await recheckAndWrite(client, rm, due);
      return due.length;
    });
    after = page.at(-1)!.caseId;
  }
  return aligned;
}
