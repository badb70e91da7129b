/** A positive whole number from a command-line option, or exit 2 naming the option and showing usage. */
export function positiveInt(name: string, raw: string, usage: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`--${name} must be a positive whole number, got '${raw}'\n\n${usage}`);
    process.exit(2);
  }
  return n;
}
