// The requirement catalogue and the checks that cite it, tested against each
// other: no check without a requirement, no mandatory requirement without a check.
import { expect, it } from 'vitest';
import { requirementById, requirements } from '../../reference/spec/requirements.ts';
import { loadChecks } from './check.ts';
import { conformanceRequirementIds } from './testing/conformance-ids.ts';

it('every check of certify and of conformance cites a requirement of the catalogue', async () => {
  const cited = [...(await loadChecks()).map((c) => c.requirement), ...(await conformanceRequirementIds())];
  expect(cited.filter((id) => !requirementById.has(id))).toEqual([]);
});

it('certify checks every mandatory requirement it does not say why it leaves out, and each requirement has a check somewhere', async () => {
  const certifyIds = new Set((await loadChecks()).map((c) => c.requirement));
  const conformanceIds = new Set(await conformanceRequirementIds());
  expect(
    requirements.filter((r) => r.level === 'mandatory' && !r.notCertified && !certifyIds.has(r.id)).map((r) => r.id),
  ).toEqual([]);
  // One left out of certification is the conformance scenario's, and certification has no check of it.
  const leftOut = requirements.filter((r) => r.notCertified);
  expect(leftOut.filter((r) => certifyIds.has(r.id) || !conformanceIds.has(r.id)).map((r) => r.id)).toEqual([]);
  expect(requirements.filter((r) => !certifyIds.has(r.id) && !conformanceIds.has(r.id)).map((r) => r.id)).toEqual([]);
});

it('judges each requirement with one check of certify', async () => {
  const ids = (await loadChecks()).map((c) => c.requirement);
  expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
});
