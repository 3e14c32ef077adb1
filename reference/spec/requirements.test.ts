// The requirement catalogue is data others build against: ids stable and unique, each rule one sentence.
import { expect, it } from 'vitest';
import { requirementById, requirements } from './requirements.ts';

it('has unique ids named after their side', () => {
  expect(requirementById.size).toBe(requirements.length);
  for (const r of requirements) expect(r.id, r.id).toMatch(new RegExp(`^${r.side}-[A-Z0-9]+(-[A-Z0-9]+)*$`));
});

it('states each rule in one sentence with the place the spec says it', () => {
  for (const r of requirements) {
    expect(r.rule, r.id).toMatch(/^[A-Z].*\.$/);
    expect(r.rule.slice(0, -1), r.id).not.toMatch(/\.\s/);
    expect(r.section.length, r.id).toBeGreaterThan(0);
  }
});
