#!/usr/bin/env node
// `k6` on PATH for what calls k6 by name (the k6-operator's runner and initializer images): the
// engine behind k6's command line — run, archive, inspect and version.
import { register } from 'tsx/esm/api';
register();
const [command, ...rest] = process.argv.slice(2);
const ENGINE_K6 = 'v0.49.0';
let code;
if (command === 'version' || command === '--version') {
  console.log(`k6 ${ENGINE_K6} (cats-stress engine, k6-compatible: run, archive, inspect)`);
  code = 0;
} else if (command === 'run' || command === 'archive' || command === 'inspect') {
  const { main } = await import('../harness/cli.ts');
  code = await main([command, ...rest]);
} else {
  console.error(
    `k6 (cats-stress engine): ${command ? `'${command}' is not supported` : 'no command'}; use run, archive, inspect or version`,
  );
  code = 2;
}
process.exitCode = code;
process.on('exit', () => {
  if (code) process.exitCode = code;
});
