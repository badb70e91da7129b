import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '@syv/contracts';
import type { AuthUser } from '@syv/service-kit';

export const CORRELATION_HEADER = 'x-correlation-id';
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Who acts, and which chain of events this request belongs to, for every event it causes. */
export interface CommandContext {
  actor: Actor;
  /** The user who asked; none when the service acts by itself (its actor's role is then `system`). */
  user?: AuthUser;
  /** Shared by everything one user action leads to, across services (x-correlation-id, else new). */
  correlationid: string;
  /** This request: the direct cause of the events it appends. */
  causationid: string;
  now: Date;
}

export function commandContext(request: FastifyRequest, user: AuthUser, now = new Date()): CommandContext {
  const header = request.headers[CORRELATION_HEADER];
  const given = typeof header === 'string' && uuidPattern.test(header) ? header.toLowerCase() : undefined;
  const causationid = randomUUID();
  return {
    actor: { sub: user.sub, role: user.role },
    user,
    correlationid: given ?? causationid,
    causationid,
    now,
  };
}

/** A command the service gives itself (a scheduled job): its own actor, a chain of its own. */
export function systemContext(sub: string, now: Date): CommandContext {
  const causationid = randomUUID();
  return { actor: { sub, role: 'system' }, correlationid: causationid, causationid, now };
}
