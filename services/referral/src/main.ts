import { runCommandService } from '@syv/command-service';
import { referralService } from './service.js';

await runCommandService(referralService);
