// An aggregate as three pure functions (after Emmett's `Decider`): no I/O, no clock. The command
// handler loads the stream, folds it with `evolve`, calls `decide` and appends what it returns.

/**
 * Why a command was refused, in words a social worker understands. The domain names the situation
 * and knows nothing of HTTP: the service kit's problem catalog gives each code its status. A
 * service types `Code` with catalog codes, so a code the catalog does not have does not compile.
 */
export interface Rejection<Code extends string = string> {
  code: Code;
  message: string;
}

export type Decision<E, Code extends string = string> = { ok: true; events: E[] } | { ok: false; rejection: Rejection<Code> };

export interface Decider<C, E, S, Code extends string = string> {
  initialState: () => S;
  evolve: (state: S, event: E) => S;
  decide: (command: C, state: S) => Decision<E, Code>;
}

export function accept<E>(...events: E[]): { ok: true; events: E[] } {
  return { ok: true, events };
}

export function reject<Code extends string>(code: Code, message: string): { ok: false; rejection: Rejection<Code> } {
  return { ok: false, rejection: { code, message } };
}

export function fold<E, S>(decider: Pick<Decider<unknown, E, S>, 'initialState' | 'evolve'>, events: readonly E[]): S {
  return events.reduce(decider.evolve, decider.initialState());
}
