import type { AlertEvent } from '@syv/contracts';

export interface AlertListener {
  /** The areas the listener may see (their token's). */
  areas: readonly string[];
  /** A social worker: only the alerts of cases allocated to them. Absent: every alert of the areas. */
  worker?: string;
  send(event: AlertEvent): void;
}

export interface AlertHub {
  subscribe(listener: AlertListener): () => void;
  /**
   * Delivers an event to every listener of its area, once per event id; to a worker only when the
   * case is allocated to them (`allocatedTo`, looked up by the caller when workers listen).
   */
  publish(event: AlertEvent, allocatedTo?: string | null): number;
  listeners(): number;
  /** Whether any listener is a worker, i.e. whether publishing needs the case's allocation. */
  hasWorkers(): boolean;
}

/**
 * The fan-out inside one instance, from the case-alerts topic to the connected supervisors and workers. The
 * topic is at least once, so ids already delivered are remembered (a bounded window: duplicates
 * come close together, right after a relay retry).
 */
export function createAlertHub(rememberIds = 10_000): AlertHub {
  const listeners = new Set<AlertListener>();
  let workers = 0;
  const seen = new Set<string>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      if (listener.worker !== undefined) workers++;
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        listeners.delete(listener);
        if (listener.worker !== undefined) workers--;
      };
    },
    publish(event, allocatedTo = null) {
      if (seen.has(event.id)) return 0;
      seen.add(event.id);
      if (seen.size > rememberIds) {
        const oldest = seen.values().next().value;
        if (oldest !== undefined) seen.delete(oldest);
      }
      let delivered = 0;
      for (const l of listeners) {
        if (!l.areas.includes(event.area)) continue;
        if (l.worker !== undefined && l.worker !== allocatedTo) continue;
        l.send(event);
        delivered++;
      }
      return delivered;
    },
    listeners: () => listeners.size,
    hasWorkers: () => workers > 0,
  };
}
