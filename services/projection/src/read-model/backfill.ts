import type pg from 'pg';
import type { Logger } from 'pino';
import type { CaseEvent } from '@syv/contracts';
import { withTransaction } from '@syv/event-store';
import type { CaseFlag, CaseState } from '../fold/case-state.js';
import { encodeStates } from '../fold/codec.js';
import { step, type RuleSettings } from '../fold/step.js';
import type { ReadModel } from './context.js';

const PAGE = 500;

/**
 * Fills the state of case rows written before states were stored with their rows: each such case
 * is folded once from its archived events, then given the flags and the time-rule check its row
 * already has (what was written stands, so no alert is raised twice). Runs at start-up, a page of
 * cases per transaction; a read model that has states already does nothing. Answers the count.
 */
export async function backfillStates(pool: pg.Pool, rm: ReadModel, logger: Logger): Promise<number> {
  const settings: RuleSettings = rm;
  let filled = 0;
  for (;;) {
    const n = await withTransaction(pool, async (client) => {
      const { rows } = await client.query<{ case_id: string; flags_as_of: Date | null; next_sweep_at: Date | null; events: CaseEvent[]; flags: (Omit<CaseFlag, 'since'> & { since: string })[] }>(
        `SELECT c.case_id, c.flags_as_of, c.next_sweep_at,
                (SELECT coalesce(jsonb_agg(e.envelope ORDER BY e.topic, e.partition, e."offset"), '[]') FROM ${rm.schema}.case_events e WHERE e.case_id = c.case_id) AS events,
                (SELECT coalesce(jsonb_agg(jsonb_build_object('key', f.flag_key, 'source', f.source, 'rule', f.rule, 'severity', f.severity,
                                                               'explanation', f.explanation, 'evidence', to_jsonb(f.evidence), 'since', f.since) ORDER BY f.flag_key), '[]')
                   FROM ${rm.schema}.case_flags f WHERE f.case_id = c.case_id AND f.source <> 'rereferral') AS flags
           FROM ${rm.schema}.cases c WHERE c.state IS NULL ORDER BY c.case_id LIMIT ${PAGE} FOR UPDATE OF c`,
      );
      const states: CaseState[] = [];
      for (const r of rows) {
        let state: CaseState | undefined;
        for (const event of r.events) state = step(state, event, settings).state;
        if (!state) continue;
        states.push({ ...state, flags: r.flags.map((f) => ({ ...f, since: new Date(f.since) })), flagsAsOf: r.flags_as_of, nextSweepAt: r.next_sweep_at });
      }
      if (states.length > 0) {
        await client.query(
          `UPDATE ${rm.schema}.cases c SET state = s.v FROM jsonb_array_elements($1::jsonb) AS s(v) WHERE c.case_id = (s.v->>'caseId')::uuid`,
          [encodeStates(states)],
        );
      }
      if (states.length < rows.length) logger.warn({ cases: rows.length - states.length }, 'case rows without a case event the rules read: their state stays empty');
      return states.length;
    });
    filled += n;
    if (n > 0) logger.info({ filled }, 'case states filled from the archived events (once, after an upgrade)');
    if (n < PAGE) return filled;
  }
}
