import { runProjection } from './service.js';

await runProjection();
