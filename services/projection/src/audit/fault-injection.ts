import type pg from 'pg';

/**
 * A deliberately non-deterministic replay, so a test can prove that the checksum notices one.
 * Only the replay path reads it, and only when all of these hold, so production cannot turn it on
 * by a stray variable:
 * - REPLAY_FAULT_INJECTION=wallclock, and
 * - NODE_ENV is not `production`, and
 * - REPLAY_FAULT_INJECTION_CONFIRM=corrupt-replays-on-purpose (a second variable nobody sets by habit).
 * A replay run with it says so in its status (`faultInjection`) and can never be promoted.
 */
export type FaultInjection = 'wallclock';

export function faultInjectionFrom(env: NodeJS.ProcessEnv): FaultInjection | undefined {
  const asked = env.REPLAY_FAULT_INJECTION;
  if (asked === undefined || asked === '') return undefined;
  if (env.NODE_ENV === 'production') throw new Error('REPLAY_FAULT_INJECTION is refused when NODE_ENV=production');
  if (env.REPLAY_FAULT_INJECTION_CONFIRM !== 'corrupt-replays-on-purpose') {
    throw new Error('REPLAY_FAULT_INJECTION needs REPLAY_FAULT_INJECTION_CONFIRM=corrupt-replays-on-purpose');
  }
  if (asked !== 'wallclock') throw new Error(`REPLAY_FAULT_INJECTION=${asked} is unknown; the only fault is "wallclock"`);
  return asked;
}

/**
 * `wallclock`: after each slice the replay stamps the case with the time of the rebuild instead of
 * the event's time, the classic mistake (`now()` inside evolve) that a rebuild must reveal.
 */
export async function injectFault(client: pg.ClientBase, shadowSchema: string, fault: FaultInjection, caseIds: readonly string[]): Promise<void> {
  if (fault === 'wallclock') {
    await client.query(`UPDATE ${shadowSchema}.cases SET last_recorded_at = clock_timestamp() WHERE case_id = ANY($1::uuid[])`, [caseIds]);
  }
}
