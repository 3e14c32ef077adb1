// The default fixture of a deployment, for each country: an officer per
// customs office and one for all of them, three operators (two AEO), and a
// comprehensive guarantee per operator worth 1,000,000 USD in the national
// currency. Tokens and access codes are random per deployment.
import { proposedLevel } from '../../reference/domain/guarantee.ts';
import { randomBytes } from 'node:crypto';
import { accessCodeFrom, grnFromSequence } from '../../reference/domain/grn.ts';
import type { Fixtures } from '../../reference/spec/fixtures.ts';
import { countryByCode } from '../../reference/spec/reference-data/countries.ts';
import { offices } from '../../reference/spec/reference-data/offices.ts';

const token = (prefix: string) => `${prefix}-${randomBytes(18).toString('base64url')}`;
const random = () => randomBytes(4).readUInt32BE() / 2 ** 32;

export function defaultFixture(country: string, year: number): Required<Fixtures> {
  const own = offices.filter((o) => o.country === country).map((o) => o.referenceNumber);
  const currency = countryByCode.get(country)?.currency ?? 'USD';
  const unitsPerUsd = countryByCode.get(country)?.unitsPerUsd ?? 1;
  const officers = [
    {
      id: `${country.toLowerCase()}-all`,
      name: `Chief officer ${country}`,
      offices: own,
      token: token(`${country.toLowerCase()}-all`),
    },
    ...own.map((o) => ({
      id: `${country.toLowerCase()}-${o.toLowerCase()}`,
      name: `Officer ${o}`,
      offices: [o],
      token: token(o.toLowerCase()),
    })),
  ];
  const operators = [1, 2, 3].map((i) => ({
    tin: `${country}DEPLOY${String(i).padStart(4, '0')}`,
    name: `${country} Transit Operator ${i}`,
    country,
    aeo: i < 3,
    token: token(`${country.toLowerCase()}-op${i}`),
  }));
  const guarantees = operators.map((o, i) => ({
    grn: grnFromSequence({ year, country, sequence: BigInt(i + 1) }),
    accessCode: accessCodeFrom(random),
    holderTin: o.tin,
    type: '1' as const,
    referenceAmount: Math.round(1_000_000 * unitsPerUsd),
    currency,
    level: proposedLevel({ aeo: o.aeo, releasedMovements: 0 }),
    guarantor: {
      kind: i % 2 === 0 ? ('bank' as const) : ('insurer' as const),
      identificationNumber: `${country}9${String(i % 2).padStart(8, '0')}`,
      name: `${country} ${i % 2 === 0 ? 'Guarantee Bank' : 'Transit Insurance'}`,
    },
  }));
  return { officers, operators, guarantees };
}
