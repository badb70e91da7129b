import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Aborts when the app starts closing. Long-lived responses (SSE streams) must listen to it and
     * end, or `app.close()` waits for them until the shutdown grace period runs out.
     */
    shutdownSignal: AbortSignal;
  }
}

/**
 * Lets `app.close()` finish promptly. Node's server.close() only drops connections idle at that
 * instant; a keep-alive connection whose request was in flight would otherwise stay open after its
 * answer and hold the close up. Answers sent while closing therefore say `Connection: close`.
 */
export const drainPlugin = fp(
  async (app: FastifyInstance) => {
    const controller = new AbortController();
    app.decorate('shutdownSignal', controller.signal);
    app.addHook('preClose', async () => {
      controller.abort();
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      if (controller.signal.aborted) reply.header('connection', 'close');
      return payload;
    });
  },
  { name: '@syv/service-kit/drain', fastify: '5.x' },
);
