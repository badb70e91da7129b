// Entry point of `npm run -s token` (scripts/bootstrap.mjs). All the logic is in mint-token-command.ts.
import { runMintTokenCommand } from './mint-token-command.js';

process.exitCode = await runMintTokenCommand(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
