// The target file: one national node and the ICE address and credential it
// connects with (certification binds its own ICE there).
import { readFile } from 'node:fs/promises';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export const CertifyTarget = Type.Object(
  {
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
    /** Base URL of the node's C2B API. */
    url: Type.String({ pattern: '^https?://' }),
    /** Admin token: certification seeds its parties through POST /v1/admin/fixtures. */
    adminToken: Type.String({ minLength: 1 }),
    ice: Type.Object({
      /** ws://127.0.0.1:PORT/v1/ice the node connects to; certification listens there. */
      url: Type.String({ pattern: '^ws://' }),
      /** The node's ICE credential, which certification's ICE accepts. */
      token: Type.String({ minLength: 1 }),
    }),
    /** Overrides the version the node's /healthz reports. */
    implementationVersion: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type CertifyTarget = Static<typeof CertifyTarget>;

export async function readTarget(file: string): Promise<CertifyTarget> {
  const value: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!Value.Check(CertifyTarget, value)) {
    const errors = [...Value.Errors(CertifyTarget, value)].map((e) => `${e.path || '/'}: ${e.message}`);
    throw new Error(`target file ${file} is not a certification target: ${errors.slice(0, 5).join('; ')}`);
  }
  return value;
}
