// The requirement ids the conformance scenario's rules cite (string literals shaped like an id).
import { readFile } from 'node:fs/promises';

export const CONFORMANCE_SCENARIO = new URL('../../../scenarios/conformance.js', import.meta.url);

export async function conformanceRequirementIds(): Promise<string[]> {
  const text = await readFile(CONFORMANCE_SCENARIO, 'utf8');
  return [...text.matchAll(/'(C2[BC]-[A-Z0-9-]+)'/g)].map((m) => m[1]!);
}
