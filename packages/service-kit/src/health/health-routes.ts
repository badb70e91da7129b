import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { problem } from '../problems/problem.js';
import { sendProblem } from '../problems/render.js';
import { runReadinessChecks, type ReadinessCheck } from './readiness.js';

interface HealthOptions {
  checks: readonly ReadinessCheck[];
  defaultTimeoutMs?: number;
}

/**
 * `/health/live`: the process is up (restart it if not). `/health/ready`: its dependencies answer
 * (send it traffic only if so). Both public. Plain JSON schemas for the docs: the routes must work
 * whatever validator compiler the app uses.
 */
export const healthPlugin = fp<HealthOptions>(
  async (app: FastifyInstance, { checks, defaultTimeoutMs }) => {
    const names = checks.map((c) => c.name);
    if (new Set(names).size !== names.length) throw new Error(`Readiness check names must be unique: ${names.join(', ')}`);

    app.get('/health/live', { config: { public: true }, schema: { tags: ['health'], summary: 'Process up', security: [] } }, async () => ({ status: 'ok' }));

    app.get('/health/ready', { config: { public: true }, schema: { tags: ['health'], summary: 'Dependencies reachable', security: [] } }, async (request, reply) => {
      const outcomes = await runReadinessChecks(checks, defaultTimeoutMs);
      const report: Record<string, string> = {};
      for (const o of outcomes) report[o.name] = o.ok ? 'ok' : o.detail;

      const failing = outcomes.filter((o) => !o.ok);
      if (failing.length === 0) return { status: 'ready', checks: report };

      for (const f of failing) {
        request.log.warn({ check: f.name, detail: f.detail, ...(f.error === undefined ? {} : { err: f.error }) }, 'readiness check failing');
      }
      // Sent rather than thrown: a failing probe is an expected state, not a 500 with a stack to log.
      const notReady = problem('NOT_READY', `Not ready: ${failing.map((f) => `${f.name} ${f.detail}`).join('; ')}.`, {
        extensions: { checks: report },
      });
      return sendProblem(notReady, request, reply);
    });
  },
  { name: '@syv/service-kit/health', fastify: '5.x' },
);
