// `cats-stress certify` as a country's team runs it: a node started with
// `cats-stress node` pointed at the ICE address of its target file, certified
// with --quick; the certificate opens in a real browser.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { freePort } from '../../reference/net/free-port.ts';
import { requirements } from '../../reference/spec/requirements.ts';
import type { Certificate } from '../certify/certificate.ts';
import { main } from '../cli.ts';
import { inChromium } from '../report/testing/browser.ts';

const bin = fileURLToPath(new URL('../../bin/cats-stress.js', import.meta.url));
let child: ChildProcess;
let dir: string;
let targetFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'certify-cli-'));
  const ice = { url: `ws://127.0.0.1:${await freePort()}/v1/ice`, token: 'certify-cli-ice-token-000001' };
  const adminToken = 'certify-cli-admin-token-0001';
  child = spawn(
    process.execPath,
    [
      bin,
      'node',
      '--country',
      'GE',
      '--database-url',
      inject('postgresAdminUrl'),
      '--database',
      `certify_cli_${process.pid}`,
      '--admin-token',
      adminToken,
      '--ice-url',
      ice.url,
      '--ice-token',
      ice.token,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`cats-stress node exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m) resolve(m[1]!);
    });
  });
  targetFile = path.join(dir, 'node.json');
  await writeFile(targetFile, JSON.stringify({ country: 'GE', url, adminToken, ice }));
});

afterAll(async () => {
  if (!child || child.exitCode !== null) return;
  child.removeAllListeners('exit');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
});

it('certifies the reference node: every mandatory requirement passes, exit code 0', async () => {
  const results = path.join(dir, 'results');
  const code = await main([
    'certify',
    '--target',
    targetFile,
    '--country',
    'GE',
    '--quick',
    '--results',
    results,
    '--run',
    'ge',
  ]);
  const cert = JSON.parse(await readFile(path.join(results, 'ge', 'certificate.json'), 'utf8')) as Certificate;
  const failed = cert.requirements.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.detail}`);
  expect(failed).toEqual([]);
  expect(code).toBe(0);
  expect(cert).toMatchObject({ country: 'GE', specVersion: 'spec-v0', verdict: 'CERTIFIED', profile: 'quick' });
  expect(cert.implementation.version).toMatch(/^cats-stress reference node \d+\.\d+\.\d+$/);
  expect(cert.requirements.map((r) => r.id)).toEqual(requirements.map((r) => r.id));
  for (const r of cert.requirements.filter((r) => r.level === 'mandatory' && !r.notCertified)) {
    expect(r.status, r.id).toBe('pass');
    expect(r.evidence.length, r.id).toBeGreaterThan(0);
  }
  // The unhappy paths are the conformance scenario's: listed, with the reason certification leaves them out.
  for (const r of cert.requirements.filter((r) => r.notCertified)) {
    expect(r.status, r.id).toBe('not-applicable');
    expect(r.detail, r.id).toContain('not part of certification');
  }
  expect(cert.performance?.movementsReleased).toBeGreaterThan(0);
  expect(cert.performance?.outage?.movementsStarted).toBeGreaterThan(0);

  const { problems } = await inChromium(path.join(results, 'ge', 'certificate.html'), async (page) => {
    await expect(page.locator('.verdict').textContent()).resolves.toBe('CERTIFIED');
    await expect(page.locator('tr.requirement').count()).resolves.toBe(requirements.length);
    await expect(page.locator('tr.requirement.fail').count()).resolves.toBe(0);
    await expect(page.locator('#C2C-EXACTLY-ONCE .status').textContent()).resolves.toBe('pass');
    await expect(page.locator('table.performance tr').count()).resolves.toBeGreaterThan(1);
  });
  expect(problems).toEqual([]);
}, 240_000);

it('refuses a target file of another country with usage and exit code 2', async () => {
  expect(await main(['certify', '--target', targetFile, '--country', 'AZ', '--quick'])).toBe(2);
});

it('exits 3 when the target file is not a certification target', async () => {
  const bad = path.join(dir, 'bad.json');
  await writeFile(bad, JSON.stringify({ country: 'GE', url: 'http://127.0.0.1:1' }));
  expect(await main(['certify', '--target', bad, '--country', 'GE', '--quick'])).toBe(3);
});

it('starts the reference node itself with --start-reference and certifies its conformance', async () => {
  const results = path.join(dir, 'results');
  const code = await main([
    'certify',
    '--start-reference',
    '--country',
    'AZ',
    '--database-url',
    inject('postgresAdminUrl'),
    '--skip-load',
    '--results',
    results,
    '--run',
    'az',
  ]);
  const cert = JSON.parse(await readFile(path.join(results, 'az', 'certificate.json'), 'utf8')) as Certificate;
  expect(cert.requirements.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.detail}`)).toEqual([]);
  expect(code).toBe(0);
  expect(cert).toMatchObject({ country: 'AZ', verdict: 'CERTIFIED' });
  expect(cert.performance).toBeUndefined();
  expect(cert.requirements.find((r) => r.id === 'C2B-PERFORMANCE')?.status).toBe('not-applicable');
  expect(cert.requirements.find((r) => r.id === 'C2C-RELEASE-RECORDS')?.status).toBe('pass');
}, 180_000);
