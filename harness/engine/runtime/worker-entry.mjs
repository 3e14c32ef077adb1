// Worker thread entry: TypeScript loading and k6 module names must be set up
// before the engine and the script are imported.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register('./k6-module-hooks.mjs', import.meta.url);
await import('./worker.ts');
