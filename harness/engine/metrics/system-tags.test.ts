// k6's `systemTags`: samples carry only the system tags the option names, in every output and sub-metric,
// while the summary's group and check tree stays whole.
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue, runSource, stderrBesidesHealth } from '../testing/run-fixture.ts';

const server = createServer((_req, res) => res.end('ok'));
let base = '';
beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

const script = (systemTags: string) => `import http from 'k6/http';
import { check, group } from 'k6';
export const options = {
  iterations: 3,
  ${systemTags}
  tags: { team: 'customs' },
  thresholds: { 'http_reqs{status:200}': ['count==3'], 'http_reqs{method:GET}': ['count==3'] },
};
export default function () {
  group('lodge', () => {
    const res = http.get(__ENV.BASE + '/ctd');
    check(res, { 'status is 200': (r) => r.status === 200 });
  });
}`;

function points(file: string, metric: string): Record<string, string>[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; metric: string; data: { tags: Record<string, string> } })
    .filter((l) => l.type === 'Point' && l.metric === metric)
    .map(({ data: { tags } }) => {
      // Every run carries a testid of its own; it is not a system tag.
      const { testid: _testid, ...rest } = tags;
      return rest;
    });
}

describe('systemTags', () => {
  it("tags samples with k6's default system tags when the option is not set", async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'system-tags-')), 'samples.json');
    const run = await runSource(script(''), { env: { BASE: base }, outputs: [`json=${out}`] });
    expect(stderrBesidesHealth(run.stderr)).toBe('');
    expect(run.exitCode).toBe(0);
    const [tags] = points(out, 'http_reqs');
    expect(tags).toMatchObject({
      team: 'customs',
      status: '200',
      method: 'GET',
      group: '::lodge',
      scenario: 'default',
    });
    expect(tags!.url).toBe(`${base}/ctd`);
    expect(points(out, 'checks')[0]).toMatchObject({ check: 'status is 200' });
  });

  it('keeps only the system tags named, leaves user tags alone, and a threshold on a dropped tag sees nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'system-tags-')), 'samples.json');
    const run = await runSource(script(`systemTags: ['status', 'check', 'unknown_tag'],`), {
      env: { BASE: base },
      outputs: [`json=${out}`],
      noSummary: false,
    });
    const reqs = points(out, 'http_reqs');
    expect(reqs).toHaveLength(3);
    for (const tags of reqs) expect(tags).toEqual({ team: 'customs', status: '200' });
    expect(points(out, 'checks')[0]).toEqual({ team: 'customs', check: 'status is 200' });
    expect(points(out, 'group_duration')[0]).toEqual({ team: 'customs' });
    // The status sub-metric still counts 3; the method one, whose tag is gone, none: its threshold fails.
    expect(metricValue(run, 'http_reqs{status:200}', 'count')).toBe(3);
    expect(metricValue(run, 'http_reqs{method:GET}', 'count')).toBe(0);
    expect(run.exitCode).toBe(99);
    // The summary's group and check tree does not depend on the tags.
    const lodge = run.summaryData?.root_group.groups.find((g) => g.name === 'lodge');
    expect(lodge?.checks.map((c) => [c.name, c.passes])).toEqual([['status is 200', 3]]);
  });

  it('refuses a systemTags that is not a list of names', async () => {
    const run = await runSource(`export const options = { systemTags: 'status' };\nexport default function () {}`);
    expect(run.exitCode).toBe(104);
    expect(run.stderr).toContain('options.systemTags must be a list of tag names');
  });
});
