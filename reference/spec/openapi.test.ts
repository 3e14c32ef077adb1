// The published OpenAPI document: complete, self-consistent, and the file in
// the repository is the one the schemas generate.
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { openApiDocument } from './openapi.ts';
import { routeList } from './routes.ts';

const doc = openApiDocument() as any;

it('documents every route of the catalogue with its operation id, security and error responses', () => {
  for (const route of routeList) {
    const op = doc.paths[route.path]?.[route.method.toLowerCase()];
    expect(op, `${route.method} ${route.path}`).toBeDefined();
    expect(op.operationId).toBe(route.operationId);
    expect(Boolean(op.security), route.operationId).toBe(!route.roles.includes('public'));
    if (route.schema.body) expect(op.responses['400'], route.operationId).toBeDefined();
  }
  expect(doc.paths['/v1/notifications'].get.responses['101']).toBeDefined();
});

it('resolves every $ref', () => {
  const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(schemas|responses)\/([^"]+)"/g)];
  expect(refs.length).toBeGreaterThan(10);
  for (const [, kind, name] of refs) expect(doc.components[kind!][name!], `${kind}/${name}`).toBeDefined();
});

it('matches reference/spec/openapi.json (regenerate with `npx tsx reference/spec/openapi.ts`)', async () => {
  const file = JSON.parse(await readFile(new URL('./openapi.json', import.meta.url), 'utf8'));
  expect(file).toEqual(JSON.parse(JSON.stringify(doc)));
});
