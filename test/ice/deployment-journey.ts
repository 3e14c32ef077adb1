// What the deployment tests do as a user would: the nodes' HTTP API
// and a declaration for a movement KZ → AZ → GE.
import type { Ctd } from '../../reference/spec/ctd.ts';

export async function call(base: string, token: string, method: string, route: string, body?: unknown) {
  const res = await fetch(base + route, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

export function journeyCtd(lrn: string, holderTin: string, grn: string, accessCode: string): Ctd {
  const address = { streetAndNumber: '12 Abai Ave', city: 'Almaty', country: 'KZ' };
  return {
    lrn,
    declarationType: 'T1',
    additionalDeclarationType: 'A',
    security: 0,
    offices: { departure: 'KZ000010', transit: ['AZ000100'], destination: 'GE000010' },
    holder: { identificationNumber: holderTin, name: 'KZ Transit Operator 1', address },
    guarantees: [{ type: '1', references: [{ grn, accessCode, amountToBeCovered: 5_000_000, currency: 'KZT' }] }],
    consignment: {
      countryOfDispatch: 'KZ',
      countryOfDestination: 'GE',
      containerIndicator: false,
      inlandModeOfTransport: '3',
      modeOfTransportAtTheBorder: '3',
      grossMass: 1100,
      consignor: { name: 'Almaty Cotton LLP', address },
      consignee: {
        name: 'Tbilisi Textiles LLC',
        address: { streetAndNumber: '3 Tsereteli Ave', city: 'Tbilisi', country: 'GE' },
      },
      countriesOfRouting: ['KZ', 'AZ', 'GE'],
      departureTransportMeans: [{ typeOfIdentification: '30', identificationNumber: '123ABC02', nationality: 'KZ' }],
      transportEquipment: [],
      goodsItems: [
        {
          goodsItemNumber: 1,
          description: 'Cotton yarn',
          hsCode: '520511',
          grossMass: 1100,
          netMass: 1000,
          packages: [{ typeOfPackages: 'BL', numberOfPackages: 40 }],
          value: { amount: 10_000, currency: 'USD' },
        },
      ],
    },
  };
}
