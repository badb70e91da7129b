import { z } from 'zod';

export const roles = ['social_worker', 'supervisor', 'auditor', 'data_protection_officer'] as const;
export type Role = (typeof roles)[number];

/**
 * The roles that read case data. A data protection officer erases a child's personal texts and is
 * refused every route of case data (403), as an auditor is refused every write.
 */
export const caseRoles = ['social_worker', 'supervisor', 'auditor'] as const satisfies readonly Role[];

/** Who is calling, from a verified token. `areas` are local-authority codes (e.g. E09000001). */
export interface AuthUser {
  sub: string;
  role: Role;
  areas: string[];
}

/** The claims this system reads; jose has already checked `exp`, `nbf`, `iss` and `aud`. */
export const tokenClaimsSchema = z.object({
  sub: z.string().min(1, 'must be a non-empty user id'),
  role: z.enum(roles, { error: `must be one of ${roles.join(', ')}` }),
  areas: z.array(z.string().min(1), { error: 'must be an array of area codes' }),
  exp: z.number({ error: 'must be a NumericDate' }),
});

/** `8h` → 28800. Accepts a number of seconds or `<n>s|m|h|d`. */
export function parseTtl(ttl: string | number): number {
  if (typeof ttl === 'number') {
    if (!Number.isFinite(ttl)) throw new Error(`ttl must be a finite number of seconds, got ${ttl}`);
    return Math.trunc(ttl);
  }
  const match = /^(-?\d+)\s*([smhd]?)$/.exec(ttl.trim());
  if (!match) throw new Error(`ttl must look like 30s, 15m, 8h or 7d, got '${ttl}'`);
  const unit = { '': 1, s: 1, m: 60, h: 3_600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
