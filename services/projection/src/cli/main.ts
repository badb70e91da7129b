import { createInterface } from 'node:readline/promises';
import { runAuditCli } from './audit-cli.js';

// The auditors' command line: `npm run -s audit -- --help`.
const code = await runAuditCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  ...(process.stdin.isTTY
    ? {
        confirm: async (question: string) => {
          const rl = createInterface({ input: process.stdin, output: process.stderr });
          try {
            return /^y(es)?$/i.test((await rl.question(question)).trim());
          } finally {
            rl.close();
          }
        },
      }
    : {}),
  onInterrupt: (handler) => {
    process.on('SIGINT', handler);
    return () => process.off('SIGINT', handler);
  },
});
process.exit(code);
