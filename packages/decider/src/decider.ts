// An aggregate as three pure functions (after Emmett's `Decider`): no I/O, no clock. The command
// handler loads the stream, folds it with `evolve`, calls `decide` and appends what it returns.

/** Why a command was refused, in words a social worker understands. `status` is the HTTP answer. */
export interface Rejection<Code extends string = string> {
  code: Code;
  status: 400 | 404 | 409 | 422;
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

export function reject<Code extends string>(code: Code, status: Rejection['status'], message: string): { ok: false; rejection: Rejection<Code> } {
  return { ok: false, rejection: { code, status, message } };
}

export function fold<E, S>(decider: Pick<Decider<unknown, E, S>, 'initialState' | 'evolve'>, events: readonly E[]): S {
  return events.reduce(decider.evolve, decider.initialState());
}
