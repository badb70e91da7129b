import { createLogger, createServiceApp, loadConfigOrExit, type ServiceApp } from '@syv/service-kit';
import { consoleConfigSchema, upstreams, type ConsoleConfig } from './config.js';
import { devTokenRoute } from './dev-token/routes.js';
import { forwardRoutes } from './forward/routes.js';
import { staticPages } from './pages/static.js';
import { vocabularyRoute } from './pages/vocabulary.js';

const SERVICE_NAME = 'console';

export async function buildConsole(env: NodeJS.ProcessEnv = process.env): Promise<{ app: ServiceApp; config: ConsoleConfig }> {
  const config = loadConfigOrExit(consoleConfigSchema, env);
  const logger = createLogger({ name: SERVICE_NAME, level: config.LOG_LEVEL });
  const app = await createServiceApp({
    name: SERVICE_NAME,
    version: '0.1.0',
    config,
    logger,
    // Ready as soon as it listens: the pages are files, and an upstream that is down shows as an
    // error on the page, as it would to any client.
    readiness: [],
    routes: async (a) => {
      await staticPages(a);
      vocabularyRoute(a);
      await forwardRoutes(a, upstreams(config));
      if (config.CONSOLE_DEV_TOKENS) devTokenRoute(a, config.JWT_SECRET);
    },
  });
  if (config.CONSOLE_DEV_TOKENS) logger.warn('CONSOLE_DEV_TOKENS is on: GET /dev-token mints tokens for anyone; development only');
  return { app, config };
}
