/** A logged error: enough to find the bug, nothing a driver or library attached (pg's `detail` quotes row values). */
interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  code?: string;
  statusCode?: number;
  cause?: SerializedError;
}

export function serializeError(err: unknown, depth = 0): SerializedError {
  if (!(err instanceof Error)) return { type: typeof err, message: describeNonError(err) };
  const out: SerializedError = { type: err.name || err.constructor.name, message: err.message };
  if (err.stack) out.stack = err.stack;
  const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'string' || typeof code === 'number') out.code = String(code);
  if (typeof statusCode === 'number') out.statusCode = statusCode;
  if (err.cause !== undefined && depth < 5) out.cause = serializeError(err.cause, depth + 1);
  return out;
}

function describeNonError(value: unknown): string {
  // A thrown string could be anything, including free text; record only what kind of thing it was.
  if (value === null || value === undefined) return String(value);
  return `non-Error value of type ${typeof value} was thrown`;
}
