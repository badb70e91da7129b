import type pg from 'pg';
import type { EventOf } from '@syv/contracts';
import { raiseAlerts, type RaisedAlert } from '../alerts/raise.js';
import { addFlags } from '../flags/case-flags.js';
import type { ReadModel } from '../read-model/context.js';
import { languageFlags, type CaseHistory } from '../rules/index.js';

/**
 * LABELLING_LANGUAGE on the notes of one intervention as it arrives. The flag stays on the case
 * (the record outlives the case); its alert names the phrases, never the notes.
 */
export async function flagLabellingLanguage(client: pg.ClientBase, rm: ReadModel, logged: EventOf<'intervention.logged.v1'>, history: CaseHistory): Promise<RaisedAlert[]> {
  const flags = languageFlags(history, rm.matchLanguage).filter((f) => f.evidence.includes(logged.id));
  if (flags.length === 0) return [];
  const at = new Date(logged.data.deliveredAt);
  await addFlags(client, rm.schema, history.caseId, 'language', flags, at);
  return raiseAlerts(client, rm.schema, { caseId: history.caseId, area: logged.area, flags, raisedAt: at, recordedAt: new Date(logged.time), cause: logged });
}
