// Certification fails exactly the requirements a deliberately broken node breaks:
// the reference node behind a link or proxy that adds one defect each.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/database.ts';
import { freePort } from '../../reference/net/free-port.ts';
import { certify } from './certify.ts';
import type { LoadOptions } from './load-step.ts';
import { startReferenceUnderTest } from './reference-node.ts';
import { startAlwaysOk } from './testing/always-ok.ts';
import { startDefectiveLink, type LinkDefect } from './testing/defective-link.ts';
import { QUICK_LOAD } from './profiles.ts';

let results: string;
beforeAll(async () => {
  results = await mkdtemp(path.join(tmpdir(), 'certify-defects-'));
});

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

async function failedWithLink(defect: LinkDefect, load?: LoadOptions): Promise<string[]> {
  const iceUrl = `ws://127.0.0.1:${await freePort()}/v1/ice`;
  const link = await startDefectiveLink({ iceUrl, defect });
  stops.push(link.close);
  const ref = await startReferenceUnderTest({
    country: 'GE',
    databaseUrl: await createTestDatabase('certify_defect'),
    iceUrl,
    connectTo: link.url,
  });
  stops.push(ref.close);
  const { certificate } = await certify({
    target: ref.target,
    resultsDir: results,
    run: defect,
    profile: 'quick',
    load,
    waitMs: 10_000,
    connectMs: 20_000,
  });
  expect(certificate.verdict).toBe('NOT CERTIFIED');
  return certificate.requirements.filter((r) => r.status === 'fail').map((r) => r.id);
}

describe('certify against non-conforming nodes', () => {
  it('fails only exactly-once for a node that applies a redelivered message again', async () => {
    expect(await failedWithLink('applies-duplicates')).toEqual(['C2C-EXACTLY-ONCE']);
  }, 120_000);

  it('fails only the forged-sender rule for a node that accepts a message from an undesignated office', async () => {
    expect(await failedWithLink('accepts-forged-sender')).toEqual(['C2C-FORGED-SENDER']);
  }, 120_000);

  it('fails resending and loss for a node that loses unconfirmed messages when ICE drops', async () => {
    expect((await failedWithLink('loses-on-drop', QUICK_LOAD)).sort()).toEqual(['C2C-NOTHING-LOST', 'C2C-RESEND']);
  }, 180_000);

  it('fails every refusal the API owes for a node that answers 200 to everything', async () => {
    const ref = await startReferenceUnderTest({
      country: 'GE',
      databaseUrl: await createTestDatabase('certify_ok200'),
    });
    stops.push(ref.close);
    const proxy = await startAlwaysOk(ref.target.url);
    stops.push(proxy.close);
    const { certificate } = await certify({
      target: { ...ref.target, url: proxy.url },
      resultsDir: results,
      run: 'always-200',
      profile: 'quick',
      waitMs: 10_000,
      connectMs: 20_000,
    });
    expect(certificate.verdict).toBe('NOT CERTIFIED');
    expect(
      certificate.requirements
        .filter((r) => r.status === 'fail')
        .map((r) => r.id)
        .sort(),
    ).toEqual(
      [
        'C2B-AUTHENTICATION',
        'C2B-MALFORMED-JSON',
        'C2B-SCHEMA-POINTER',
        'C2B-NOT-FOUND',
        'C2B-DUPLICATE-LRN',
        'C2B-CTD-VALIDATION',
        'C2B-OPERATOR-ISOLATION',
        'C2B-ROLES',
        'C2B-ILLEGAL-TRANSITION',
      ].sort(),
    );
  }, 120_000);
});
