import { runService } from '@syv/service-kit';
import { buildConsole } from './service.js';

const { app, config } = await buildConsole();
await runService({ app, port: config.PORT, host: config.HOST, graceMs: config.SHUTDOWN_GRACE_MS });
