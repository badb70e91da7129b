// A service whose shutdown blocks its main thread for good, as a synchronous write to a stdout pipe
// nobody reads would: only the backstop, on its own thread, can end it. Run by run-service.test.ts.
import pino from 'pino';
import { runService } from './run-service.js';

await runService({
  app: {
    log: pino({ level: 'info' }),
    listen: async () => 'http://127.0.0.1:0',
    close: async () => undefined,
  },
  port: 0,
  host: '127.0.0.1',
  graceMs: 300,
  onShutdown: [
    {
      name: 'blocks the main thread',
      run: async () => {
        for (;;) {
          // Never yields: no timer, signal handler or exit of the main thread runs again.
        }
      },
    },
  ],
});
process.kill(process.pid, 'SIGTERM');
