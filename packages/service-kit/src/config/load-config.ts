import type { z } from 'zod';

export interface ConfigIssue {
  /** The environment variable's name, e.g. `PORT`. */
  variable: string;
  /** Why its value was refused, e.g. `must be at most 65535`. Never echoes the value (it may be a secret). */
  message: string;
}

export interface ConfigError extends Error {
  readonly name: 'ConfigError';
  readonly issues: readonly ConfigIssue[];
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses the environment once with `schema`. Throws a ConfigError whose message names every bad
 * variable and why; nothing after start-up should read `process.env` again.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.output<S> {
  const values = withoutEmptyValues(env);
  const result = schema.safeParse(values);
  if (result.success) return result.data;

  const issues = result.error.issues.map((issue): ConfigIssue => {
    const variable = issue.path.length > 0 ? issue.path.map(String).join('.') : '(environment)';
    const unset = issue.code === 'invalid_type' && issue.path.length === 1 && values[variable] === undefined;
    return { variable, message: unset ? 'is required but not set' : issue.message };
  });
  throw configError(issues);
}

/** `loadConfig`, but a bad environment prints the problems to stderr and exits 1, as a service start wants. */
export function loadConfigOrExit<S extends z.ZodType>(
  schema: S,
  env: Env = process.env,
  io: { exit: (code: number) => never; error: (line: string) => void } = {
    exit: (code) => process.exit(code),
    error: (line) => process.stderr.write(`${line}\n`),
  },
): z.output<S> {
  try {
    return loadConfig(schema, env);
  } catch (err) {
    if (!isConfigError(err)) throw err;
    io.error(err.message);
    return io.exit(1);
  }
}

export function isConfigError(err: unknown): err is ConfigError {
  return err instanceof Error && err.name === 'ConfigError' && Array.isArray((err as Partial<ConfigError>).issues);
}

function configError(issues: ConfigIssue[]): ConfigError {
  const lines = issues.map((i) => `  ${i.variable}: ${i.message}`);
  const error = new Error(`Invalid configuration (environment variables):\n${lines.join('\n')}`);
  return Object.assign(error, { name: 'ConfigError' as const, issues });
}

// `FOO=` in a compose file or shell yields an empty string; treating it as "unset" lets defaults
// apply instead of failing with a confusing "must be a valid URL".
function withoutEmptyValues(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}
