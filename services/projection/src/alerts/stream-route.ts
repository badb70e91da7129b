import type { AlertEvent } from '@syv/contracts';
import { problemResponses } from '@syv/command-service';
import { REQUEST_ID_HEADER, requireRole, type ServiceApp } from '@syv/service-kit';
import type { AlertHub } from './hub.js';

/** One Server-Sent Events frame; `data` is JSON on one line, so no line of it can end the frame early. */
export function sseFrame(event: AlertEvent): string {
  return `id: ${event.id}\nevent: ${event.type.replace(/\.v\d+$/, '')}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/**
 * GET /v1/alerts/stream: the alerts of the supervisor's areas, or of the worker's cases, as they are raised (and
 * acknowledged), as text/event-stream. Comment lines every heartbeat keep proxies from closing a
 * quiet stream; the stream ends when the client goes or the service shuts down.
 */
export function alertStreamRoute(app: ServiceApp, deps: { hub: AlertHub; heartbeatMs: number; onConnect?: (delta: number) => void }): void {
  app.get(
    '/v1/alerts/stream',
    {
      schema: {
        summary: 'Live alerts (Server-Sent Events)',
        description:
          'Supervisors: the alerts of their areas; social workers: the alerts of the cases allocated to them. `text/event-stream` from the moment you connect: `event: alert.raised` and `event: alert.acknowledged`, `id` = the CloudEvent id, `data` = the event data as JSON. Earlier alerts are at GET /v1/alerts.',
        tags: ['alerts'],
        produces: ['text/event-stream'],
        response: { ...problemResponses(401, 403) },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, 'supervisor', 'social_worker');
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        [REQUEST_ID_HEADER]: request.id,
      });
      res.write(`: alerts of your ${user.role === 'social_worker' ? 'cases' : 'areas'} follow\nretry: 2000\n\n`);
      deps.onConnect?.(1);
      const worker = user.role === 'social_worker' ? { worker: user.sub } : {};
      const unsubscribe = deps.hub.subscribe({ areas: user.areas, ...worker, send: (event) => res.write(sseFrame(event)) });
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), deps.heartbeatMs);
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        unsubscribe();
        deps.onConnect?.(-1);
        app.shutdownSignal.removeEventListener('abort', end);
        if (!res.writableEnded) res.end();
      };
      // The response's close, not the request's: a GET's request stream closes once read.
      res.on('close', end);
      if (app.shutdownSignal.aborted) end();
      else app.shutdownSignal.addEventListener('abort', end);
      request.log.info({ user: user.sub, areas: user.areas.length }, 'alert stream opened');
    },
  );
}
