import { runCommandService } from '@syv/command-service';
import { caseClosureService } from './service.js';

await runCommandService(caseClosureService);
