import { ERASED_TEXT, isSealedText, personalFieldsOf, sealedTextKeyId, UNREADABLE_TEXT, type AnyEvent, type LabellingFindings } from '@syv/contracts';
import type { DataKey, KeyStore } from './key-store.js';
import { open, seal, type SealContext } from './sealed-text.js';

// An event's personal free texts, sealed as it is recorded and opened as it is shown. Sealing
// also keeps what the labelling check found in each text (`data.labelling`), so the flags those
// findings raise replay the same after the texts are erased.

/** Findings kept per text; the contract allows 500 per event, and an event has at most 3 texts. */
const MOST_FINDINGS_PER_FIELD = 100;

/** A lexicon matcher, as the area configuration gives one. */
export type LabellingMatch = (text: string) => readonly { phrase: string; position: number; suggestion: string }[];

/**
 * Seals an event's personal texts under the child's key, with the labelling findings beside them
 * when a matcher is given (the case-events types keep them; an alert's acknowledgement does not).
 */
export function sealEvent<E extends AnyEvent>(event: E, key: DataKey, match?: LabellingMatch): E {
  const fields = personalFieldsOf(event.type);
  const data = { ...(event.data as Record<string, unknown>) };
  const labelling: LabellingFindings = [];
  let any = false;
  for (const field of fields) {
    const text = data[field];
    // A blank text says nothing about anyone: left as it is, it still reads as "not written".
    if (typeof text !== 'string' || !/\S/.test(text)) continue;
    any = true;
    // Every phrase is kept, its first occurrences only: a text that repeats one word a thousand
    // times needs rewording all the same, and the event stays within its contract.
    const found = match?.(text) ?? [];
    for (const m of found.slice(0, MOST_FINDINGS_PER_FIELD)) labelling.push({ field, phrase: m.phrase, position: m.position, suggestion: m.suggestion });
    data[field] = seal(text, key, { eventId: event.id, field });
  }
  if (!any) return event;
  return { ...event, data: match ? { ...data, labelling } : data };
}

/** Whether an event still carries a personal text as written (recorded before sealing, or a bug). */
export function plainPersonalFields(event: AnyEvent): string[] {
  const data = event.data as Record<string, unknown>;
  return personalFieldsOf(event.type).filter((f) => typeof data[f] === 'string' && /\S/.test(data[f]) && !isSealedText(data[f]));
}

/** A text as shown: as written, opened, or the erased marker once its key is gone. */
export async function openText(text: string, keys: KeyStore, ctx: SealContext): Promise<string> {
  const keyId = sealedTextKeyId(text);
  if (keyId === undefined) return text;
  const found = await keys.keyById(keyId);
  if (found.state === 'erased') return ERASED_TEXT;
  if (found.state === 'unknown') {
    keys.unreadable(`key ${keyId} is not in the key store`);
    return UNREADABLE_TEXT;
  }
  try {
    return open(text, found.key, ctx);
  } catch (err) {
    keys.unreadable(`a text does not open under key ${keyId}: ${(err as Error).message}`);
    return UNREADABLE_TEXT;
  }
}

/** An event as shown: each sealed text opened, or the erased marker once its key is gone. */
export async function openEvent<E extends AnyEvent>(event: E, keys: KeyStore): Promise<{ event: E; erased: string[] }> {
  const fields = personalFieldsOf(event.type);
  const data = event.data as Record<string, unknown>;
  let opened: Record<string, unknown> | undefined;
  const erased: string[] = [];
  for (const field of fields) {
    const text = data[field];
    if (typeof text !== 'string') continue;
    const keyId = sealedTextKeyId(text);
    if (keyId === undefined) continue;
    opened ??= { ...data };
    opened[field] = await openText(text, keys, { eventId: event.id, field });
    if (opened[field] === ERASED_TEXT) erased.push(field);
  }
  return { event: opened ? { ...event, data: opened } : event, erased };
}

/** Opens many events; the store answers each key once however many texts ask for it at once. */
export async function openEvents<E extends AnyEvent>(events: readonly E[], keys: KeyStore): Promise<E[]> {
  return Promise.all(events.map(async (e) => (await openEvent(e, keys)).event));
}
