// Node module hooks (module.register) that resolve k6's module names to the
// engine's implementations, so unchanged k6 scripts import them, and that rewrite
// the script's own modules for k6's blocking API (sync-transform.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SyncGraph } from './sync-transform.ts';
const modules = new URL('../modules/', import.meta.url);

const MAP = {
  k6: 'k6.ts',
  'k6/http': 'http.ts',
  'k6/metrics': 'metrics.ts',
  'k6/execution': 'execution.ts',
  'k6/data': 'data.ts',
  'k6/timers': 'timers.ts',
  'k6/encoding': 'encoding.ts',
  'k6/crypto': 'crypto.ts',
  'k6/html': 'html.ts',
  'k6/websockets': 'websockets.ts',
  'k6/experimental/websockets': 'websockets.ts',
};

const REMOVED = [
  'k6/experimental/browser',
  'k6/experimental/grpc',
  'k6/experimental/timers',
  'k6/experimental/tracing',
  'k6/experimental/webcrypto',
  'k6/experimental/redis',
];

// The k6 summary helper is commonly imported from jslib; the engine ships its own.
const JSLIB_SUMMARY = /^https:\/\/jslib\.k6\.io\/k6-summary\/[^/]+\/index\.js$/;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'k6' || specifier.startsWith('k6/')) {
    const file = MAP[specifier];
    if (file) return nextResolve(new URL(file, modules).href, context);
    if (REMOVED.includes(specifier))
      throw new Error(`'${specifier}' was removed from k6; see the k6 release notes for its replacement`);
    throw new Error(
      `'${specifier}' is not supported by the cats-stress engine (supported: ${Object.keys(MAP).join(', ')}); run the script with --engine k6`,
    );
  }
  if (JSLIB_SUMMARY.test(specifier)) return nextResolve(new URL('k6-summary.ts', modules).href, context);
  if (/^https?:\/\//.test(specifier))
    throw new Error(
      `remote module '${specifier}' is not fetched by the cats-stress engine: keep a copy beside the script and import it by relative path`,
    );
  const resolved = await nextResolve(specifier, context);
  // A VU's copy of the script imports its own copies of the script's other modules.
  const vu = context.parentURL && vuOf(context.parentURL);
  if (vu !== undefined && isScriptModule(resolved.url) && vuOf(resolved.url) === undefined)
    return { ...resolved, url: `${resolved.url}${resolved.url.includes('?') ? '&' : '?'}vu=${vu}`, format: 'module' };
  // k6 scripts are ES modules whatever the nearest package.json says.
  if (
    resolved.url.startsWith('file:') &&
    /\.(m?js|m?ts)$/.test(resolved.url) &&
    !resolved.url.includes('/node_modules/')
  )
    return { ...resolved, format: 'module' };
  return resolved;
}

const engineDir = new URL('../', import.meta.url).href;
const graph = new SyncGraph(new URL('sync.ts', modules).href);
/** Each script module as it runs: loaded, transpiled and rewritten once, whatever number of VUs load it. */
const outputs = new Map();

function splitQuery(url) {
  const q = url.indexOf('?');
  return q < 0 ? [url, ''] : [url.slice(0, q), url.slice(q + 1)];
}

/** The VU whose own copy of the script `url` belongs to (k6 runs the init code once per VU). */
function vuOf(url) {
  return /(?:^|&)vu=(\d+)/.exec(splitQuery(url)[1])?.[1];
}

/** The script's own files: not the engine's (its test scripts aside), not packages'. */
function isScriptModule(url) {
  const [file] = splitQuery(url);
  return (
    file.startsWith('file:') &&
    /\.(m?js|m?ts)$/.test(file) &&
    !file.includes('/node_modules/') &&
    (!file.startsWith(engineDir) || file.includes('/testing/'))
  );
}

export async function load(url, context, nextLoad) {
  if (!isScriptModule(url)) return nextLoad(url, context);
  const [file] = splitQuery(url);
  let out = outputs.get(file);
  if (out === undefined) {
    const loaded = await nextLoad(file, context);
    if (loaded.format !== 'module' || loaded.source == null) return loaded;
    if (!graph.has(file)) {
      // The whole graph of the script's modules is analysed at once: a helper in one blocks its callers in another.
      const queue = [[file, String(loaded.source)]];
      while (queue.length) {
        const [u, code] = queue.shift();
        if (graph.has(u)) continue;
        for (const dep of graph.add(u, code)) {
          if (graph.has(dep) || !isScriptModule(dep) || !existsSync(fileURLToPath(dep))) continue;
          const d = await nextLoad(dep, { ...context, format: 'module' });
          if (d.source != null) queue.push([dep, String(d.source)]);
        }
      }
    }
    // TypeScript arrives compiled with its own source map; edits keep lines, so that map still finds them.
    out = graph.has(file) ? graph.transform(file, /\.m?js$/.test(file)) : { code: String(loaded.source) };
    outputs.set(file, out);
  }
  const vu = vuOf(url);
  if (vu === undefined)
    // The copy loaded first tells the engine whether VUs need copies of their own (see worker.ts).
    return {
      format: 'module',
      source: `${out.code}\nexport const __catsVuState = ${graph.keepsState()};${out.map ?? ''}`,
      shortCircuit: true,
    };
  // In a VU's copy, __VU is that VU from its init code on, as in k6. Its lines are the file's; a source map per
  // copy would cost more memory than 10,000 VUs can spare.
  const code = out.code.replace(/\n\/\/# sourceMappingURL=data:[^\n]*\s*$/, '\n');
  return { format: 'module', source: `const __VU = ${vu};${code}`, shortCircuit: true };
}
