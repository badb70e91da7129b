import { z } from 'zod';
import { riskLevelSchema, ruleIdSchema } from './enums.js';
import { personalTextSchema } from './sealed-text.js';

// Field types shared by the envelope and every event, so "an id" or "a time" means one thing
// everywhere and the JSON Schema says the same as the code.

export const uuid = () => z.uuid();

/** ISO 8601 with an explicit offset (`Z` or `±hh:mm`): a time without one is ambiguous across BST. */
export const isoDateTime = () => z.iso.datetime({ offset: true });

/**
 * A pseudonymous id for the child, issued by the referring system. Letters, digits and `._:-` only,
 * so a name typed into the field is refused rather than spread into every log and topic.
 */
export const childId = () =>
  z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._:-]+$/, 'must be a pseudonymous id (letters, digits, . _ : -), never a name')
    .describe('Pseudonymous id of the child; never a name.');

/** A local-authority code such as the ONS code `E09000022`; users' `areas` claims hold the same codes. */
export const areaCode = () =>
  z
    .string()
    .min(1)
    .max(16)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a local-authority code such as E09000022')
    .describe('Local-authority code (e.g. the ONS code E09000022).');

/** The `sub` of a user's token: an id, never a name. */
export const userId = () => z.string().min(1).max(200);

/**
 * Free text written by a worker about a child: as written (events recorded before texts were
 * sealed, and `max` bounds it) or sealed under the child's own key (see `sealed-text.ts`).
 * Bounded so one record cannot swamp a Kafka message.
 */
export const text = (max: number) => personalTextSchema(max, { required: false });
export const requiredText = (max: number) => personalTextSchema(max, { required: true });

/** A sentence the product writes (an explanation): never personal, never sealed. */
export const productSentence = (max: number) => z.string().min(1).max(max).regex(/\S/, 'must not be blank');

/**
 * Free text added to an event type that was already published: optional in the same version, and
 * absent (in an event recorded before the field existed, or when nobody wrote it) means "not
 * recorded", never "nothing to say". Never logged; checked for labelling language.
 */
export const addedText = (max: number, what: string) =>
  text(max)
    .optional()
    .describe(`${what} Never logged; checked for labelling language. Optional: absent (as in every event recorded before the field existed) means not recorded.`);

export const flagSchema = z
  .object({
    rule: ruleIdSchema,
    severity: riskLevelSchema,
    explanation: productSentence(1000).describe('One sentence a supervisor can act on.'),
    evidence: z.array(uuid()).describe('Ids of the events that made the rule fire.'),
  })
  .describe('A rule that fired on the case.');
/** A rule that fired, with the events that are its evidence. */
export type Flag = z.infer<typeof flagSchema>;
/** The flags a closure assessment finds; the same shape as any other flag. */
export type ClosureFlag = Flag;
