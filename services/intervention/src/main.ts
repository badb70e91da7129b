import { runCommandService } from '@syv/command-service';
import { interventionService } from './service.js';

await runCommandService(interventionService);
