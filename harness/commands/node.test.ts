// `cats-stress node` as a user runs it: a real process that prints its URL,
// serves the API and stops cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect, inject, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/cats-stress.js', import.meta.url));

it('starts a node on an existing PostgreSQL and the address given, serves it and stops on SIGTERM', async () => {
  const database = `node_cli_${process.pid}`;
  const child = spawn(
    process.execPath,
    [
      bin,
      'node',
      '--country',
      'ge',
      '--database-url',
      inject('postgresAdminUrl'),
      '--database',
      database,
      '--admin-token',
      'cli-admin-token-000000001',
      // Another loopback address: a container would give 0.0.0.0.
      '--host',
      '127.0.0.2',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${lines.join('\n')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const m = /listening on (http:\/\/127\.0\.0\.2:\d+)/.exec(line);
      if (m) resolve(m[1]!);
    });
  });
  expect(lines[0]).toMatch(/^CATS node GE listening on/);
  expect((await fetch(`${url}/readyz`)).status).toBe(200);
  await expect(fetch(url.replace('127.0.0.2', '127.0.0.1'))).rejects.toThrow();
  const fixtures = await fetch(`${url}/v1/admin/fixtures`, {
    method: 'POST',
    headers: { authorization: 'Bearer cli-admin-token-000000001', 'content-type': 'application/json' },
    body: JSON.stringify({
      operators: [{ tin: 'GE1', name: 'One', country: 'GE', aeo: false, token: 'cli-operator-token-00001' }],
    }),
  });
  expect(fixtures.status).toBe(200);
  const spec = await (await fetch(`${url}/openapi.json`)).json();
  expect(spec.openapi).toBe('3.1.0');
  child.removeAllListeners('exit');
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(lines.at(-1)).toBe('stopped');
  await expect(fetch(`${url}/healthz`)).rejects.toThrow();
});

it('refuses a missing country with usage and exit code 2', async () => {
  const child = spawn(process.execPath, [bin, 'node'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(2);
  expect(err).toContain('--country CC is required');
});
