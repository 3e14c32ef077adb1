// Starting Prometheus fails loudly and leaves nothing running: no binary, a
// binary that cannot run, a port already taken.
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPrometheus, startPrometheus } from './prometheus.ts';
import { prometheusForTests } from './testing/prometheus-for-tests.ts';

const deployment = { nodes: { GE: { url: 'http://127.0.0.1:9' } } };
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cats-prom-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('startPrometheus', () => {
  it('takes PROMETHEUS_BIN at its word: a missing file there means no Prometheus, not another one', () => {
    expect(findPrometheus({ PROMETHEUS_BIN: path.join(dir, 'missing'), PATH: '/usr/bin' })).toBeUndefined();
  });

  it('reports a binary that cannot run', async () => {
    await expect(
      startPrometheus({ deployment, dataDir: path.join(dir, 'a'), binary: path.join(dir, 'not-there') }),
    ).rejects.toThrow(/cannot run .*not-there: spawn .* ENOENT/);
  });

  it.skipIf(!prometheusForTests('dashboards/prometheus.test.ts'))(
    "reports a port already in use with Prometheus' own words",
    async () => {
      const taken = net.createServer();
      await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
      const port = (taken.address() as net.AddressInfo).port;
      try {
        await expect(startPrometheus({ deployment, dataDir: path.join(dir, 'b'), port })).rejects.toThrow(
          /prometheus exited \(1\) on start-up:[\s\S]*address already in use/,
        );
      } finally {
        taken.close();
      }
    },
  );
});
