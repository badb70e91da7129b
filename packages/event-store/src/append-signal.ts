// In-process wake-ups for the outbox relay: an append that commits on its own (or with a
// transaction this package commits) says so here the moment it has committed, and the relay of
// that schema in this process reads at once. Appends committed by another process, or inside a
// caller's transaction, are found by NOTIFY (appendInTransaction sends one at commit) or by the
// relay's poll. A wake-up is only a hint: nothing is lost when one is missed.

const listeners = new Map<string, Set<() => void>>();

/** Calls `wake` after each append to `schema` committed in this process; answers the unsubscribe. */
export function onAppend(schema: string, wake: () => void): () => void {
  let set = listeners.get(schema);
  if (!set) listeners.set(schema, (set = new Set()));
  set.add(wake);
  return () => {
    set.delete(wake);
    if (set.size === 0 && listeners.get(schema) === set) listeners.delete(schema);
  };
}

/** Events were committed to `schema` just now. */
export function announceAppend(schema: string): void {
  const set = listeners.get(schema);
  if (set) for (const wake of set) wake();
}
