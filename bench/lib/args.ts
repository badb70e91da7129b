import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** A whole number of at least `min` from a command-line option, or exit 2 naming the option and showing usage. */
export function wholeNumber(name: string, raw: string, usage: string, min = 0): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min) {
    console.error(`--${name} must be a ${min > 0 ? 'positive ' : ''}whole number, got '${raw}'\n\n${usage}`);
    process.exit(2);
  }
  return n;
}

/** A positive whole number from a command-line option, or exit 2 naming the option and showing usage. */
export function positiveInt(name: string, raw: string, usage: string): number {
  return wholeNumber(name, raw, usage, 1);
}

/** A log that prefixes each line with the seconds since it was made: `[  12.3 s] message`. */
export function elapsedLog(write: (line: string) => void = (line) => console.log(line)): (msg: string) => void {
  const started = performance.now();
  return (msg) => write(`[${((performance.now() - started) / 1_000).toFixed(1).padStart(6)} s] ${msg}`);
}

/**
 * The command line of a bench, from its options' defaults (a string default: `--name value`; a
 * boolean one: a flag): --help/-h prints the usage and exits 0; an unknown or malformed option names
 * itself, prints the usage and exits 2.
 */
export function parseOptions<T extends Record<string, string | boolean>>(usage: string, defaults: T): { [K in keyof T]: T[K] extends boolean ? boolean : string } {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(usage);
    process.exit(0);
  }
  const options = Object.fromEntries(
    Object.entries(defaults).map(([name, value]) => [name, typeof value === 'boolean' ? { type: 'boolean' as const, default: value } : { type: 'string' as const, default: value }]),
  );
  try {
    // `pnpm --filter @syv/bench write -- --duration 20` hands the script a leading `--` (pnpm 10 and
    // later pass it through); it ends no options here.
    const args = process.argv.slice(2);
    if (args[0] === '--') args.shift();
    return parseArgs({ args, options, allowPositionals: false }).values as { [K in keyof T]: T[K] extends boolean ? boolean : string };
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
    process.exit(2);
  }
}

/** Resident set size of a process on this machine, in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
