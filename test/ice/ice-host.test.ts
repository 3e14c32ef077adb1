// `cats-stress ice --host`: ICE listens on the address given (0.0.0.0 in a container), and only there.
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../../reference/net/free-port.ts';
import { createTestDatabase } from '../support/database.ts';
import { spawnIce, type IceProcess } from './ice-process.ts';
import { rawNode } from './raw-node.ts';

let ice: IceProcess | undefined;
afterAll(() => ice?.stop());

it('listens on the address given, and nodes connect there', async () => {
  const port = await freePort();
  const tokens = { GE: 'ge-host-credential' };
  ice = await spawnIce({
    databaseUrl: await createTestDatabase('ice_host'),
    port,
    tokens,
    extra: ['--host', '127.0.0.2'],
  });
  expect(ice.output()).toContain(`ICE listening on ws://127.0.0.2:${port}/v1/ice`);
  expect((await fetch(`http://127.0.0.2:${port}/readyz`)).status).toBe(200);
  await expect(fetch(`http://127.0.0.1:${port}/readyz`)).rejects.toThrow();
  // rawNode resolves once ICE has welcomed the node.
  const node = await rawNode(`ws://127.0.0.2:${port}/v1/ice`, tokens.GE);
  await expect.poll(() => ice!.output()).toMatch(/"event":"connected","country":"GE"/);
  await node.close();
});
