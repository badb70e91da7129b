import { z } from 'zod';

// Building blocks for environment variables. Every value in the environment is a string, so each
// helper parses text and says in plain words what was expected; the messages end up in the
// start-up error next to the variable's name.

const wholeNumber = /^\d+$/;

/** A whole number within [min, max], with a default when the variable is unset. */
export function envInt(defaultValue: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) {
  return z
    .string()
    .trim()
    .regex(wholeNumber, 'must be a whole number')
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, `must be at least ${min}`)
        .max(max, `must be at most ${max}`),
    )
    .default(defaultValue);
}

/** A TCP port; 0 asks the operating system for a free one (useful in tests). */
export function envPort(defaultValue: number) {
  return envInt(defaultValue, { min: 0, max: 65_535 });
}

/** A comma-separated list such as `KAFKA_BROKERS=a:9092,b:9092`; blanks are dropped. */
export function envList(defaultValue: readonly string[]) {
  return z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    )
    .pipe(z.array(z.string()).min(1, 'must list at least one value'))
    .default([...defaultValue]);
}

/** A URL whose scheme is one of `protocols` (without the colon), e.g. ['postgres', 'postgresql']. */
export function envUrl(protocols: readonly string[]) {
  const allowed = protocols.map((p) => `${p}:`);
  return z
    .string()
    .trim()
    .refine((value) => URL.canParse(value), 'must be a valid URL')
    .refine(
      (value) => !URL.canParse(value) || allowed.includes(new URL(value).protocol),
      `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    );
}
