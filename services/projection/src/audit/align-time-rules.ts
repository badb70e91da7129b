import type pg from 'pg';
import { withTransaction } from '@syv/event-store';
import { loadCaseEvents } from '../read-model/case-events.js';
import { lockCase } from '../read-model/cases.js';
import type { ReadModel } from '../read-model/context.js';
import { buildCaseHistory } from '../rules/index.js';
import { checkTimeRules } from '../sweep/time-flags.js';

/**
 * The one input of the read model that is not in the log is the sweep's clock: the live time
 * rules have looked at a case at the events' times and at the times the sweep ran. The replay
 * applies the events only, then asks the time rules once more at the live read model's last look
 * at each case (its `flags_as_of` in the snapshot), as a sweep at that moment would have. Returns
 * how many cases it looked at again.
 */
export async function alignTimeRules(pool: pg.Pool, rm: ReadModel, liveFlagsAsOf: ReadonlyMap<string, Date>, stopped: () => boolean): Promise<number> {
  let aligned = 0;
  for (const [caseId, asOf] of [...liveFlagsAsOf].sort(([a], [b]) => a.localeCompare(b))) {
    if (stopped()) break;
    const moved = await withTransaction(pool, async (client) => {
      const locked = await lockCase(client, rm.schema, caseId);
      if (!locked || (locked.flagsAsOf && locked.flagsAsOf.getTime() >= asOf.getTime())) return false;
      const events = await loadCaseEvents(client, rm.schema, caseId);
      const cause = events.at(-1);
      if (!cause) return false;
      await checkTimeRules(client, rm, { history: buildCaseHistory(events, caseId), area: locked.area, flagsAsOf: locked.flagsAsOf, at: asOf, recordedAt: asOf, cause });
      return true;
    });
    if (moved) aligned++;
  }
  return aligned;
}
