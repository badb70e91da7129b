import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { DEFAULT_THRESHOLDS } from './defaults.js';
import { mergeThresholds } from './merge.js';
import { thresholdsFileSchema, type ThresholdsConfig } from './schema.js';

interface ThresholdIssue {
  /** Dotted path of the bad field, e.g. `areas.E09000001.closureRecentIncidentDays`. */
  field: string;
  message: string;
}

type ParsedThresholds = { ok: true; config: ThresholdsConfig } | { ok: false; issues: ThresholdIssue[] };

function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

// zod reports an unknown key on its parent object; an operator looks for the key they mistyped.
function toIssues(issue: z.core.$ZodIssue): ThresholdIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ field: dotted([...issue.path, key]), message: 'is not a known threshold' }));
  }
  if (issue.code === 'invalid_key') {
    return [{ field: dotted(issue.path), message: issue.issues[0]?.message ?? issue.message }];
  }
  return [{ field: dotted(issue.path) || '(root)', message: issue.message }];
}

/** Validates a configuration (parsed JSON, or its text) without throwing. */
export function parseThresholds(input: unknown): ParsedThresholds {
  let json = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (err) {
      return { ok: false, issues: [{ field: '(root)', message: `is not valid JSON: ${(err as Error).message}` }] };
    }
  }
  const parsed = thresholdsFileSchema.safeParse(json);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.flatMap(toIssues) };
  return { ok: true, config: { defaults: mergeThresholds(DEFAULT_THRESHOLDS, parsed.data.defaults), areas: parsed.data.areas ?? {} } };
}

/**
 * Validates a configuration and fills in the default thresholds for what it leaves out. A bad file
 * stops the service at start with every bad field named, rather than running rules on guesses.
 */
export function loadThresholds(input: unknown): ThresholdsConfig {
  const parsed = parseThresholds(input);
  if (parsed.ok) return parsed.config;
  throw new Error(`invalid thresholds configuration: ${parsed.issues.map((i) => `${i.field} ${i.message}`).join('; ')}`);
}

/**
 * The configuration in the file `THRESHOLDS_FILE` names, or the defaults when it names none. Every
 * service that checks language or applies a rule reads the same file, so an area's numbers and
 * phrases mean the same thing at write time and in the projection.
 */
export function loadThresholdsFile(path: string | undefined): ThresholdsConfig {
  if (!path) return { defaults: DEFAULT_THRESHOLDS, areas: {} };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`THRESHOLDS_FILE ${path} cannot be read: ${(err as Error).message}`);
  }
  return loadThresholds(text);
}
