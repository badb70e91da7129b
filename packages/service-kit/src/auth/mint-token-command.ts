import { parseArgs } from 'node:util';
import type { Env } from '../config/load-config.js';
import { parseTtl, roles, type Role } from './claims.js';
import { mintDevToken } from './dev-token.js';

const mintTokenUsage = `usage: npm run -s token -- [--sub <user id>] [--role <role>] [--areas <codes>] [--ttl <duration>]

Prints a development bearer token (HS256) on stdout, and nothing else, so that
  TOKEN=$(npm run -s token -- --role supervisor)
works. Signed with JWT_SECRET, or the public development secret when it is unset;
JWT_ISSUER and JWT_AUDIENCE are added when set, as the services expect.

  --sub     user id                                  (default dev-social-worker)
  --role    ${roles.join(' | ')}     (default social_worker)
  --areas   comma-separated local-authority codes    (default E09000001)
  --ttl     lifetime: 30s, 15m, 8h, 7d               (default 8h)
  --help    this text`;

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Env;
}

/** The mint-token CLI as a function: returns the exit code instead of exiting, for tests. */
export async function runMintTokenCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  let values: { sub?: string; role?: string; areas?: string; ttl?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        sub: { type: 'string' },
        role: { type: 'string' },
        areas: { type: 'string' },
        ttl: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return usageError(io, (err as Error).message);
  }
  if (values.help) {
    io.stdout(`${mintTokenUsage}\n`);
    return 0;
  }

  const role = values.role ?? 'social_worker';
  if (!isRole(role)) return usageError(io, `--role must be one of ${roles.join(', ')}; got '${role}'`);

  const areas = (values.areas ?? 'E09000001').split(',').map((a) => a.trim()).filter((a) => a.length > 0);
  if (areas.length === 0 || areas.some((a) => !/^[A-Za-z0-9_-]+$/.test(a))) {
    return usageError(io, `--areas must be comma-separated area codes such as E09000001,E09000002; got '${values.areas ?? ''}'`);
  }

  const sub = values.sub ?? 'dev-social-worker';
  if (sub.trim() === '') return usageError(io, '--sub must not be empty');

  const ttl = values.ttl ?? '8h';
  let seconds: number;
  try {
    seconds = parseTtl(ttl);
  } catch (err) {
    return usageError(io, (err as Error).message);
  }
  if (seconds <= 0) return usageError(io, `--ttl must be positive; got '${ttl}'`);

  const secret = io.env.JWT_SECRET || undefined;
  // Notes go to stderr so that stdout stays exactly the token.
  if (!secret) io.stderr('note: JWT_SECRET is not set; signing with the public development secret\n');
  if (io.env.JWT_JWKS_URL) io.stderr('warning: JWT_JWKS_URL is set; services configured with it refuse HS256 tokens like this one\n');

  const token = await mintDevToken({
    sub,
    role,
    areas,
    ttl: seconds,
    ...(secret ? { secret } : {}),
    ...(io.env.JWT_ISSUER ? { issuer: io.env.JWT_ISSUER } : {}),
    ...(io.env.JWT_AUDIENCE ? { audience: io.env.JWT_AUDIENCE } : {}),
  });
  io.stdout(`${token}\n`);
  return 0;
}

function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

function usageError(io: CommandIo, message: string): number {
  io.stderr(`error: ${message}\n\n${mintTokenUsage}\n`);
  return 2;
}
