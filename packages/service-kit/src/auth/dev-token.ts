import { SignJWT } from 'jose';
import { DEV_JWT_SECRET } from '../config/base-config.js';
import { parseTtl, type Role } from './claims.js';

export interface DevTokenRequest {
  sub: string;
  role: Role;
  areas: string[];
  /** `8h`, `15m`, or seconds. A negative number mints an already expired token (for tests). */
  ttl?: string | number;
  /** HS256 secret; the public development secret when omitted. */
  secret?: string;
  issuer?: string;
  audience?: string;
  /** The token's issue time; now when omitted. */
  now?: Date;
}

/**
 * Signs an HS256 token the services accept when they run without a JWKS. For local use and tests
 * only: production tokens come from the identity provider and are RS256.
 */
export async function mintDevToken(request: DevTokenRequest): Promise<string> {
  const iat = Math.floor((request.now ?? new Date()).getTime() / 1000);
  const exp = iat + parseTtl(request.ttl ?? '8h');
  let jwt = new SignJWT({ role: request.role, areas: request.areas })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuedAt(iat)
    .setExpirationTime(exp);
  if (request.issuer) jwt = jwt.setIssuer(request.issuer);
  if (request.audience) jwt = jwt.setAudience(request.audience);
  return jwt.sign(new TextEncoder().encode(request.secret ?? DEV_JWT_SECRET));
}
