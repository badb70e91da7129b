import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { Logger } from 'pino';
import { DEV_JWT_SECRET, type BaseConfig } from '../config/base-config.js';
import { tokenClaimsSchema, type AuthUser } from './claims.js';

export type AuthConfig = Pick<BaseConfig, 'JWT_SECRET' | 'JWT_JWKS_URL' | 'JWT_ISSUER' | 'JWT_AUDIENCE'>;

export type VerifyFailureReason =
  | 'malformed'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_signature'
  | 'algorithm_not_allowed'
  | 'unknown_key'
  | 'claims_rejected'
  | 'unavailable';

export type VerifyResult =
  | { ok: true; user: AuthUser }
  | { ok: false; reason: VerifyFailureReason; detail: string; cause?: unknown };

export interface Verifier {
  /** The only algorithm this verifier accepts. */
  readonly algorithm: 'HS256' | 'RS256';
  verify(token: string): Promise<VerifyResult>;
}

export interface VerifierOptions {
  logger?: Pick<Logger, 'warn'>;
  /** Seconds of clock skew tolerated on exp/nbf between machines. */
  clockToleranceSeconds?: number;
  /** Verified tokens remembered until they expire (default 10,000; 0 verifies every time). */
  cacheSize?: number;
  /** Milliseconds since the epoch; for tests. */
  now?: () => number;
}

/** A verification that succeeded, with when the token stops being valid (ms since the epoch). */
type Verified = { ok: true; user: AuthUser; expiresAt: number };

/**
 * RS256 against `JWT_JWKS_URL` when it is set (production), else HS256 with `JWT_SECRET` or the
 * development default. Only one algorithm is ever accepted: with a JWKS configured an HS256 token
 * is refused even if it was signed with the right secret, so a leaked dev secret cannot mint
 * production tokens.
 */
export function createVerifier(config: AuthConfig, options: VerifierOptions = {}): Verifier {
  const verifyOptions: JWTVerifyOptions = {
    requiredClaims: ['sub', 'exp'],
    clockTolerance: options.clockToleranceSeconds ?? 5,
    ...(config.JWT_ISSUER ? { issuer: config.JWT_ISSUER } : {}),
    ...(config.JWT_AUDIENCE ? { audience: config.JWT_AUDIENCE } : {}),
  };

  const remember = (verify: (token: string) => Promise<Verified | Extract<VerifyResult, { ok: false }>>) =>
    cacheVerified(verify, options.cacheSize ?? 10_000, options.now ?? Date.now);

  if (config.JWT_JWKS_URL) {
    const jwks: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.JWT_JWKS_URL));
    return {
      algorithm: 'RS256',
      verify: remember((token) => verifyWith(token, jwks, { ...verifyOptions, algorithms: ['RS256'] }, 'RS256')),
    };
  }

  if (config.JWT_SECRET === undefined) {
    options.logger?.warn(
      { devSecret: true },
      `JWT_SECRET is not set: using the PUBLIC development secret '${DEV_JWT_SECRET}'. ` +
        'Anyone can mint tokens for this service. Set JWT_SECRET, or JWT_JWKS_URL in production.',
    );
  }
  const secret = new TextEncoder().encode(config.JWT_SECRET ?? DEV_JWT_SECRET);
  const secretKey: JWTVerifyGetKey = () => secret;
  return {
    algorithm: 'HS256',
    verify: remember((token) => verifyWith(token, secretKey, { ...verifyOptions, algorithms: ['HS256'] }, 'HS256')),
  };
}

/**
 * A client sends the same token with every request until it expires: checking its signature and
 * claims once is enough. Only successes are kept, each until its own `exp` (never the clock
 * tolerance beyond it), at most `size` of them; when full, the oldest entry goes. A token is its
 * own key: nothing but the exact bytes that verified can hit.
 */
function cacheVerified(
  verify: (token: string) => Promise<Verified | Extract<VerifyResult, { ok: false }>>,
  size: number,
  now: () => number,
): (token: string) => Promise<VerifyResult> {
  const known = new Map<string, Verified>();
  return async (token) => {
    const hit = known.get(token);
    if (hit) {
      if (hit.expiresAt > now()) return { ok: true, user: hit.user };
      known.delete(token);
    }
    const result = await verify(token);
    if (!result.ok) return result;
    if (size > 0 && result.expiresAt > now()) {
      if (known.size >= size) known.delete(known.keys().next().value as string);
      known.set(token, result);
    }
    return { ok: true, user: result.user };
  };
}

async function verifyWith(
  token: string,
  key: JWTVerifyGetKey,
  options: JWTVerifyOptions,
  algorithm: 'HS256' | 'RS256',
): Promise<Verified | Extract<VerifyResult, { ok: false }>> {
  let payload: unknown;
  try {
    payload = (await jwtVerify(token, key, options)).payload;
  } catch (err) {
    return { ok: false, ...describeFailure(err, algorithm), cause: err };
  }
  const claims = tokenClaimsSchema.safeParse(payload);
  if (!claims.success) {
    const problems = claims.error.issues.map((i) => `${i.path.map(String).join('.') || 'payload'} ${i.message}`);
    return { ok: false, reason: 'claims_rejected', detail: `The bearer token's claims are not valid: ${problems.join('; ')}.` };
  }
  const { sub, role, areas, exp } = claims.data;
  // Frozen: one verified user may now serve many requests, and none may change it for the others.
  return { ok: true, user: Object.freeze({ sub, role, areas: Object.freeze([...areas]) as string[] }), expiresAt: exp * 1_000 };
}

function describeFailure(err: unknown, algorithm: 'HS256' | 'RS256'): { reason: VerifyFailureReason; detail: string } {
  if (err instanceof errors.JWTExpired) {
    const exp = (err.payload as { exp?: unknown }).exp;
    const when = typeof exp === 'number' ? ` at ${new Date(exp * 1000).toISOString()}` : '';
    return { reason: 'expired', detail: `The bearer token expired${when}; get a new one.` };
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf' || err.claim === 'iat') {
      return { reason: 'not_yet_valid', detail: `The bearer token is not valid yet (${err.claim} claim).` };
    }
    return { reason: 'claims_rejected', detail: `The bearer token's ${err.claim} claim is not accepted (${err.reason}).` };
  }
  if (err instanceof errors.JOSEAlgNotAllowed) {
    return {
      reason: 'algorithm_not_allowed',
      detail: `The bearer token's signing algorithm is not accepted; this service only accepts ${algorithm}${algorithm === 'RS256' ? ' tokens from its identity provider' : ''}.`,
    };
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return { reason: 'bad_signature', detail: "The bearer token's signature is not valid." };
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return { reason: 'unknown_key', detail: 'The bearer token was not signed by a key this service trusts.' };
  }
  if (algorithm === 'RS256' && isJwksUnavailable(err)) {
    // Fetching the JWKS failed: not the caller's fault, so not a 401.
    return { reason: 'unavailable', detail: 'The keys to verify tokens could not be fetched; try again shortly.' };
  }
  return { reason: 'malformed', detail: 'The bearer token is not a well-formed signed JWT.' };
}

// Fetching the JWKS failed (timeout, non-200, not JSON, network): jose reports the last two as a
// plain JOSEError, and the network failure as whatever fetch threw.
function isJwksUnavailable(err: unknown): boolean {
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) return true;
  if (!(err instanceof errors.JOSEError)) return true;
  return err.code === errors.JOSEError.code;
}
