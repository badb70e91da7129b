import { parseCaseEvent, type CaseEvent } from '@syv/contracts';
import { readTopic } from '@syv/test-harness';
import type { Acknowledged, WriteKind } from './load.js';

// The proofs a fault run ends with. Kafka delivers at least once, so a repeated event id on the
// topic is allowed (counted, reported); what is not allowed is an acknowledged write that is missing,
// or that was recorded twice under two different event ids.

const entityOf: Record<string, { kind: WriteKind; field: string }> = {
  'referral.received.v1': { kind: 'referral', field: 'referralId' },
  'intervention.logged.v1': { kind: 'intervention', field: 'interventionId' },
  'closure.requested.v1': { kind: 'closure', field: 'closureRequestId' },
};

export interface TopicIndex {
  messages: number;
  /** Messages whose event id had been seen before on the topic (at-least-once redelivery). */
  repeats: number;
  invalid: string[];
  /** `${kind}:${id}` → distinct event ids that recorded it. */
  eventIds: Map<string, Set<string>>;
  events: CaseEvent[];
}

async function indexCaseEvents(brokers: string[], topic: string): Promise<TopicIndex> {
  const messages = await readTopic(topic, { brokers, timeoutMs: 120_000 });
  const seen = new Set<string>();
  const index: TopicIndex = { messages: messages.length, repeats: 0, invalid: [], eventIds: new Map(), events: [] };
  for (const m of messages) {
    const parsed = parseCaseEvent(JSON.parse(m.value?.toString('utf8') ?? 'null'));
    if (!parsed.ok) {
      index.invalid.push(`${m.partition}/${m.offset}: ${parsed.error.message}`);
      continue;
    }
    const e = parsed.event;
    if (seen.has(e.id)) {
      index.repeats++;
      continue;
    }
    seen.add(e.id);
    index.events.push(e);
    const entity = entityOf[e.type];
    if (!entity) continue;
    const key = `${entity.kind}:${String((e.data as Record<string, unknown>)[entity.field])}`;
    const ids = index.eventIds.get(key) ?? new Set<string>();
    ids.add(e.id);
    index.eventIds.set(key, ids);
  }
  return index;
}

export interface Problem {
  what: string;
  detail: string;
}

/** Every acknowledged write on the topic under exactly one event id. */
function checkTopic(acknowledged: Acknowledged[], index: TopicIndex): Problem[] {
  const problems: Problem[] = index.invalid.map((detail) => ({ what: 'invalid event on case-events', detail }));
  for (const a of acknowledged) {
    const n = index.eventIds.get(`${a.kind}:${a.id}`)?.size ?? 0;
    if (n !== 1) problems.push({ what: n === 0 ? 'acknowledged write missing from case-events' : 'acknowledged write recorded under several event ids', detail: `${a.kind} ${a.id} (case ${a.caseId}): ${n} event ids` });
  }
  return problems;
}

/** The event id that recorded each acknowledged write (after checkTopic passed). */
function eventIdOf(a: Acknowledged, index: TopicIndex): string | undefined {
  return [...(index.eventIds.get(`${a.kind}:${a.id}`) ?? [])][0];
}

async function getJson<T>(url: string, token: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: (await res.json()) as T };
}

/** Each acknowledged write's event appears exactly once in the projection's history of its case. */
async function checkReadModel(projection: string, token: string, acknowledged: Acknowledged[], index: TopicIndex): Promise<Problem[]> {
  const wantedByCase = new Map<string, string[]>();
  for (const a of acknowledged) {
    const id = eventIdOf(a, index);
    if (id) wantedByCase.set(a.caseId, [...(wantedByCase.get(a.caseId) ?? []), id]);
  }
  const problems: Problem[] = [];
  const checkCase = async (caseId: string, wanted: string[]) => {
    const res = await getJson<{ events: { id: string }[] }>(`${projection}/v1/cases/${caseId}/events`, token);
    if (res.status !== 200) {
      problems.push({ what: 'case missing from the read model', detail: `GET /v1/cases/${caseId}/events answered ${res.status}` });
      return;
    }
    const counts = new Map<string, number>();
    for (const e of res.body.events) counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
    for (const id of wanted) {
      const n = counts.get(id) ?? 0;
      if (n !== 1) problems.push({ what: n === 0 ? 'acknowledged write missing from the read model' : 'event repeated in the read model', detail: `case ${caseId}, event ${id}: ${n} times` });
    }
  };
  // A few cases at a time: one request per case, and a run has a thousand or more.
  const cases = [...wantedByCase];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let next = cases.shift(); next; next = cases.shift()) await checkCase(...next);
    }),
  );
  return problems;
}

export interface AlertItem {
  alertId: string;
  caseId: string;
  area: string;
  rule: string;
  evidence: string[];
}

/** An alert.raised message as read from the alerts topic, with where it is there. */
export interface RaisedAlert extends AlertItem {
  /** The CloudEvent id: what the alert stream sends as each frame's `id`. */
  eventId: string;
  partition: number;
  offset: bigint;
  /** When its publisher sent it (the record's create time, ms). */
  sentAt: number;
}

/** Every alert.raised message on the alerts topic, repeats included. */
export async function readRaisedAlerts(brokers: string[], topic: string): Promise<RaisedAlert[]> {
  return (await readTopic(topic, { brokers, timeoutMs: 120_000 })).flatMap((m): RaisedAlert[] => {
    const e = JSON.parse(m.value?.toString('utf8') ?? 'null') as { id: string; type: string; data: AlertItem };
    if (e.type !== 'alert.raised.v1') return [];
    return [{ ...e.data, eventId: e.id, partition: m.partition, offset: BigInt(m.offset), sentAt: Number(m.timestamp) }];
  });
}

async function listAlerts(projection: string, token: string): Promise<AlertItem[]> {
  const items: AlertItem[] = [];
  for (let offset: number | null = 0; offset !== null; ) {
    const res: { status: number; body: { items: AlertItem[]; next: number | null } } = await getJson(`${projection}/v1/alerts?limit=500&offset=${offset}`, token);
    if (res.status !== 200) throw new Error(`GET /v1/alerts answered ${res.status}`);
    items.push(...res.body.items);
    offset = res.body.next;
  }
  return items;
}

const flagKey = (a: { caseId: string; rule: string; evidence: string[] }) => `${a.caseId}:${a.rule}:${[...a.evidence].sort().join(',')}`;

/**
 * Each alert raised exactly once: one alert id per (case, rule, evidence) in GET /v1/alerts and on
 * the alerts topic, the same ids in both, and one LABELLING_LANGUAGE alert for every acknowledged
 * labelled intervention.
 */
function checkAlerts(api: AlertItem[], raisedOnTopic: RaisedAlert[], labelledEventIds: Map<string, string>): Problem[] {
  const problems: Problem[] = [];
  const byKey = new Map<string, Set<string>>();
  const apiIds = new Map<string, number>();
  for (const a of api) {
    apiIds.set(a.alertId, (apiIds.get(a.alertId) ?? 0) + 1);
    const ids = byKey.get(flagKey(a)) ?? new Set<string>();
    ids.add(a.alertId);
    byKey.set(flagKey(a), ids);
  }
  for (const [id, n] of apiIds) if (n > 1) problems.push({ what: 'alert listed more than once', detail: `${id}: ${n} times` });
  for (const [key, ids] of byKey) if (ids.size > 1) problems.push({ what: 'flag raised as several alerts', detail: `${key}: ${[...ids].join(', ')}` });
  const topicKeys = new Map<string, Set<string>>();
  for (const a of raisedOnTopic) {
    const ids = topicKeys.get(flagKey(a)) ?? new Set<string>();
    ids.add(a.alertId);
    topicKeys.set(flagKey(a), ids);
    if (!apiIds.has(a.alertId)) problems.push({ what: 'alert on the alerts topic but not in GET /v1/alerts', detail: a.alertId });
  }
  for (const [key, ids] of topicKeys) if (ids.size > 1) problems.push({ what: 'flag raised on the alerts topic under several alert ids', detail: `${key}: ${[...ids].join(', ')}` });
  const topicIds = new Set(raisedOnTopic.map((a) => a.alertId));
  for (const id of apiIds.keys()) if (!topicIds.has(id)) problems.push({ what: 'alert in GET /v1/alerts never published on the alerts topic', detail: id });
  for (const [eventId, caseId] of labelledEventIds) {
    const n = api.filter((a) => a.caseId === caseId && a.rule === 'LABELLING_LANGUAGE' && a.evidence.includes(eventId)).length;
    if (n !== 1) problems.push({ what: 'labelled intervention not alerted exactly once', detail: `case ${caseId}, event ${eventId}: ${n} alerts` });
  }
  return problems;
}

/** Every service answers /health/ready. */
export async function checkReady(services: readonly { name: string; url: string }[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const svc of services) {
    const res = await fetch(`${svc.url}/health/ready`, { signal: AbortSignal.timeout(15_000) }).catch(() => undefined);
    if (!res?.ok) problems.push({ what: 'service not ready after the run', detail: `${svc.name}: ${res ? res.status : 'no answer'}` });
  }
  return problems;
}

export interface Verified {
  problems: Problem[];
  index: TopicIndex;
  /** Acknowledged interventions with a labelling phrase, by event id: each must have raised one alert. */
  labelled: Map<string, string>;
  /**
   * Left out when there was no projection to ask. `raised`: every alert.raised message on the alerts
   * topic, in offset order per partition, repeats included.
   */
  alerts?: { api: AlertItem[]; raised: RaisedAlert[] };
}

/**
 * The proofs of a fault run, each given up to `settleMs` for what is still on its way downstream
 * (a relay catching up after a restart): every acknowledged write on case-events under exactly one
 * event id; with a projection, each in its read model exactly once, and each alert raised exactly
 * once, in GET /v1/alerts and on the alerts topic alike.
 */
export async function verifyAcknowledged(opts: {
  brokers: string[];
  topics: { caseEvents: string; caseAlerts: string };
  acknowledged: Acknowledged[];
  projection?: { url: string; token: string };
  settleMs: number;
  log: (msg: string) => void;
}): Promise<Verified> {
  const { brokers, topics, acknowledged: ack, settleMs, log } = opts;
  async function waitUntil<T>(what: string, attempt: () => Promise<T | undefined>): Promise<T | undefined> {
    const deadline = Date.now() + settleMs;
    for (;;) {
      const got = await attempt().catch(() => undefined);
      if (got !== undefined || Date.now() > deadline) return got;
      log(`waiting for ${what}…`);
      await new Promise((r) => setTimeout(r, 3_000));
    }
  }

  const problems: Problem[] = [];
  const settled = await waitUntil('every acknowledged write on case-events', async () => {
    const idx = await indexCaseEvents(brokers, topics.caseEvents);
    return checkTopic(ack, idx).length === 0 ? idx : undefined;
  });
  const index = settled ?? (await indexCaseEvents(brokers, topics.caseEvents));
  problems.push(...checkTopic(ack, index));
  log(`case-events: ${index.messages} messages, ${index.events.length} distinct event ids, ${index.repeats} redelivered copies`);
  const labelled = new Map<string, string>();
  for (const a of ack) {
    const id = a.labelled ? eventIdOf(a, index) : undefined;
    if (id) labelled.set(id, a.caseId);
  }
  if (!opts.projection) return { problems, index, labelled };

  const { url, token } = opts.projection;
  const rm = await waitUntil('the read model to hold every acknowledged write', async () => {
    const p = await checkReadModel(url, token, ack, index);
    return p.length === 0 ? p : undefined;
  });
  problems.push(...(rm ?? (await checkReadModel(url, token, ack, index))));
  const alertProblems = async () => {
    const api = await listAlerts(url, token);
    const raised = await readRaisedAlerts(brokers, topics.caseAlerts);
    return { api, raised, problems: checkAlerts(api, raised, labelled) };
  };
  const alerts =
    (await waitUntil('every alert once in GET /v1/alerts and on the alerts topic', async () => {
      const r = await alertProblems();
      return r.problems.length === 0 ? r : undefined;
    })) ?? (await alertProblems());
  problems.push(...alerts.problems);
  return { problems, index, labelled, alerts: { api: alerts.api, raised: alerts.raised } };
}
