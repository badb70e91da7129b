import type { HeldConnection } from '../sse.js';
import type { Problem, RaisedAlert } from './verify.js';

// What a supervisor holding the live alert stream through faults must have received, from the
// alerts topic as it is afterwards. An instance pushes the alerts of each partition of case-alerts
// in offset order, each once (its hub drops repeats by id), to whoever is connected when it pushes
// them; a connection therefore hears, of each partition, one unbroken run of the alerts of its
// areas. The stream has no Last-Event-ID resumption: across a reconnection nothing is sent again,
// so what was raised while a supervisor was away is missed on the stream (it is in GET /v1/alerts).

export interface StreamDelivery {
  problems: Problem[];
  /** Distinct alerts received over every connection. */
  received: number;
  /** Alerts of the areas never received: raised while the supervisor was between connections. */
  missed: number;
  /**
   * Alerts heard again after a reconnection to another instance: that instance had not yet pushed
   * what the first one already had. Never from the same instance (it starts after the topic's end).
   */
  heardAgain: number;
}

/**
 * Checks one supervisor's connections, oldest first, against the alert.raised messages on the
 * topic. Per partition of the alerts topic, of the alerts of `areas` in offset order:
 * - every frame is an alert of the areas, under its event id, and no connection hears one twice;
 * - each connection hears one unbroken run, in order;
 * - the first connection (open before any alert was raised) hears a run from the first alert on;
 * - a later connection to the same instance never hears again what an earlier one did;
 * - the last connection is still open, and hears every alert whose first copy was sent after it
 *   opened (the instance could only push it after it was sent, so after the connection subscribed).
 * A supervisor that never reconnected therefore heard every alert exactly once.
 */
export function checkStreamDelivery(who: string, areas: readonly string[], connections: readonly HeldConnection[], raised: readonly RaisedAlert[]): StreamDelivery {
  const problems: Problem[] = [];
  const problem = (what: string, detail: string) => problems.push({ what: `${who}: ${what}`, detail });
  const ordered = [...raised].filter((a) => areas.includes(a.area)).sort((a, b) => a.partition - b.partition || (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
  const sequence = new Map<number, RaisedAlert[]>();
  const position = new Map<string, { alert: RaisedAlert; index: number }>();
  for (const a of ordered) {
    if (position.has(a.alertId)) continue; // a later copy of the same event (at-least-once relay)
    const seq = sequence.get(a.partition) ?? [];
    position.set(a.alertId, { alert: a, index: seq.length });
    seq.push(a);
    sequence.set(a.partition, seq);
  }

  const heard = new Set<string>();
  let heardAgain = 0;
  /** Per partition: the index after the last alert heard so far, and on which instance. */
  const reached = new Map<number, { next: number; url: string }>();
  connections.forEach((conn, i) => {
    const label = `connection ${i + 1} (${conn.url})`;
    const runs = new Map<number, number[]>();
    const once = new Set<string>();
    for (const e of conn.events) {
      if (e.event !== 'alert.raised') continue;
      const alertId = String((JSON.parse(e.data) as { alertId?: unknown }).alertId);
      const at = position.get(alertId);
      if (!at) {
        problem('heard an alert that is not one of its areas on the alerts topic', `${label}: ${alertId}`);
        continue;
      }
      if (e.id !== at.alert.eventId) problem('frame id is not the event id', `${label}: alert ${alertId} under id ${String(e.id)}, event ${at.alert.eventId}`);
      if (once.has(alertId)) problem('heard one alert twice on one connection', `${label}: ${alertId}`);
      once.add(alertId);
      const run = runs.get(at.alert.partition) ?? [];
      run.push(at.index);
      runs.set(at.alert.partition, run);
    }
    for (const [partition, run] of runs) {
      const broken = run.findIndex((index, k) => k > 0 && index !== run[k - 1]! + 1);
      if (broken > 0) problem('a gap or a reordering within one connection', `${label}, partition ${partition}: alert #${run[broken]} after #${run[broken - 1]}`);
      const first = run[0]!;
      const before = reached.get(partition);
      if (i === 0 && first !== 0) problem('the first connection did not hear the first alerts', `${label}, partition ${partition}: began at #${first}`);
      if (before && first < before.next) {
        if (before.url === conn.url) problem('heard again on reconnecting to the same instance', `${label}, partition ${partition}: #${first} after #${before.next - 1}`);
        else heardAgain += Math.min(before.next, run.at(-1)! + 1) - first;
      }
      reached.set(partition, { next: Math.max(before?.next ?? 0, run.at(-1)! + 1), url: conn.url });
    }
    for (const id of once) heard.add(id);
  });

  const last = connections.at(-1);
  if (!last) problem('never connected', 'no connection was made');
  else if (last.endedAt !== undefined) problem('not connected at the end', `the last connection (${last.url}) ended`);
  else {
    const lastHeard = new Set(last.events.filter((e) => e.event === 'alert.raised').map((e) => String((JSON.parse(e.data) as { alertId?: unknown }).alertId)));
    const unheard = [...position.values()].filter(({ alert }) => alert.sentAt > last.openedAt && !lastHeard.has(alert.alertId));
    if (unheard.length > 0) {
      problem(
        'alerts sent after the last connection opened never arrived on it',
        `${unheard.length}, e.g. ${unheard.slice(0, 3).map(({ alert, index }) => `${alert.alertId} (partition ${alert.partition} #${index})`).join(', ')}`,
      );
    }
  }
  return { problems, received: heard.size, missed: position.size - heard.size, heardAgain };
}
