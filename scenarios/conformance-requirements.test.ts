// Every rule of the conformance scenario cites a requirement of the catalogue.
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { requirementById } from '../reference/spec/requirements.ts';
import { CONFORMANCE_SCENARIO, conformanceRequirementIds } from '../harness/certify/testing/conformance-ids.ts';

it('cites only requirements of the catalogue, one per rule', async () => {
  const text = await readFile(CONFORMANCE_SCENARIO, 'utf8');
  const rules = [...text.matchAll(/^\s*\[\s*'([a-z_]+)',\s*'(C2[BC]-[A-Z0-9-]+)',\s*async/gm)];
  const ruleNames = [...text.matchAll(/^\s*\[\s*'([a-z_]+)',/gm)].map((m) => m[1]);
  expect(rules.map((m) => m[1])).toEqual(ruleNames);
  expect(rules.length).toBeGreaterThan(10);
  for (const id of await conformanceRequirementIds()) expect(requirementById.has(id), id).toBe(true);
});
