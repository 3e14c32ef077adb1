// Test support: a real node on a fresh database, a JSON client, seeded parties
// and CTDs that the risk rules release at once.
import type { Ctd } from '../../spec/ctd.ts';
import { assessRisk } from '../../domain/risk.ts';
import { grnFromSequence } from '../../domain/grn.ts';
import { startNode, type RunningNode } from '../start.ts';

export interface Reply<T = any> {
  status: number;
  body: T;
}

export function client(node: RunningNode, token?: string) {
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> => {
    const res = await fetch(node.url + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (metrics)
    }
    return { status: res.status, body: parsed };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
  };
}

export async function startTestNode(databaseUrl: string, country = 'GE'): Promise<RunningNode> {
  return startNode({ country, databaseUrl, adminToken: 'admin-token-for-tests-0001' });
}

let grnCounter = 0n;
export function testGrn(country = 'GE'): string {
  return grnFromSequence({ year: 2026, country, sequence: 900_000n + grnCounter++ });
}

export interface Party {
  tin: string;
  token: string;
}

/** Seeds active AEO operators, officers and guarantees through the admin fixture route. */
export async function seed(
  node: RunningNode,
  f: {
    operators?: { tin: string; token: string; aeo?: boolean }[];
    officers?: { id: string; token: string; offices: string[] }[];
    guarantees?: {
      grn: string;
      holderTin: string;
      referenceAmount: number;
      accessCode?: string;
      currency?: string;
      type?: string;
      level?: 100 | 50 | 25;
    }[];
  },
): Promise<void> {
  const res = await client(node, node.adminToken).post('/v1/admin/fixtures', {
    operators: (f.operators ?? []).map((o) => ({
      tin: o.tin,
      name: `Operator ${o.tin}`,
      country: node.country,
      aeo: o.aeo ?? true,
      token: o.token,
    })),
    officers: (f.officers ?? []).map((o) => ({
      id: o.id,
      name: `Officer ${o.id}`,
      offices: o.offices,
      token: o.token,
    })),
    guarantees: (f.guarantees ?? []).map((g) => ({
      grn: g.grn,
      accessCode: g.accessCode ?? 'AB12',
      holderTin: g.holderTin,
      type: g.type ?? '1',
      referenceAmount: g.referenceAmount,
      currency: g.currency ?? 'GEL',
      level: g.level ?? 25,
      guarantor: TEST_GUARANTOR,
    })),
  });
  if (res.status !== 200) throw new Error(`seeding failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * A domestic CTD (all offices in Georgia): Tbilisi → Red Bridge (transit) →
 * Poti, goods worth 1,000 USD, guarantee in GEL. Duties and taxes due:
 * 1,000 × 2.75 GEL × (2 % + 18 % × 1.02) = 559.90 GEL; a guarantee at 25 % (the harness's
 * default level) reserves 139.98 GEL.
 */
export function domesticCtd(o: {
  lrn: string;
  holderTin: string;
  grn: string;
  accessCode?: string;
  prelodged?: boolean;
}): Ctd {
  const address = { streetAndNumber: '1 Rustaveli Ave', city: 'Tbilisi', country: 'GE' };
  return {
    lrn: o.lrn,
    declarationType: 'T1',
    additionalDeclarationType: o.prelodged ? 'D' : 'A',
    security: 0,
    offices: { departure: 'GE000010', transit: ['GE069002'], destination: 'GE000200' },
    holder: { identificationNumber: o.holderTin, name: 'Kartli Logistics LLC', address },
    guarantees: [
      {
        type: '1',
        references: [{ grn: o.grn, accessCode: o.accessCode ?? 'AB12', amountToBeCovered: 560, currency: 'GEL' }],
      },
    ],
    consignment: {
      countryOfDispatch: 'GE',
      countryOfDestination: 'GE',
      containerIndicator: false,
      inlandModeOfTransport: '3',
      modeOfTransportAtTheBorder: '3',
      grossMass: 110,
      consignor: { name: 'Kartli Logistics LLC', address },
      consignee: { name: 'Poti Trade LLC', address: { streetAndNumber: '5 Gegidze St', city: 'Poti', country: 'GE' } },
      countriesOfRouting: ['GE'],
      departureTransportMeans: [{ typeOfIdentification: '30', identificationNumber: 'GE-123-AB', nationality: 'GE' }],
      transportEquipment: [],
      goodsItems: [
        {
          goodsItemNumber: 1,
          description: 'Cotton yarn',
          hsCode: '520511',
          grossMass: 110,
          netMass: 100,
          packages: [{ typeOfPackages: 'BL', numberOfPackages: 10 }],
          value: { amount: 1000, currency: 'USD' },
        },
      ],
    },
  };
}

/** The guarantor of every guarantee the harness seeds. */
export const TEST_GUARANTOR = {
  kind: 'insurer',
  identificationNumber: 'GE900000001',
  name: 'Aldagi Insurance',
} as const;

export const RESERVED_PER_DOMESTIC_CTD = 139.98;

/** LRNs whose CTD an AEO operator gets released at once (not drawn by the sampling rule), or sent to control. */
export function lrnsFor(holderTin: string, decision: 'release' | 'control', count: number, prefix = 'L'): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    const lrn = `${prefix}${i}`;
    const ctd = domesticCtd({ lrn, holderTin, grn: '26GE000000000000' });
    if (assessRisk(ctd, { aeo: true, releasedMovements: 0 }).decision === decision) out.push(lrn);
  }
  return out;
}
