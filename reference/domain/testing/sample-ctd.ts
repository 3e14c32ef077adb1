// A valid CTD for unit tests: Tbilisi → Red Bridge (GE) → Red Bridge (AZ) →
// Baku port, two goods items, one container, guarantee in GEL.
import type { Ctd } from '../../spec/ctd.ts';

export function sampleCtd(): Ctd {
  const address = { streetAndNumber: '1 Rustaveli Ave', city: 'Tbilisi', country: 'GE' };
  return {
    lrn: 'LRN-2026-0001',
    declarationType: 'T1',
    additionalDeclarationType: 'A',
    security: 0,
    offices: { departure: 'GE000010', transit: ['GE069002', 'AZ000210'], destination: 'AZ000100' },
    holder: { identificationNumber: 'GE204567890', name: 'Kartli Logistics LLC', address },
    guarantees: [
      {
        type: '1',
        references: [{ grn: '26GELHDGU43K9D8T8', accessCode: 'AB12', amountToBeCovered: 100000, currency: 'GEL' }],
      },
    ],
    consignment: {
      countryOfDispatch: 'GE',
      countryOfDestination: 'AZ',
      containerIndicator: true,
      inlandModeOfTransport: '3',
      modeOfTransportAtTheBorder: '3',
      grossMass: 21_200,
      consignor: { name: 'Kartli Logistics LLC', address },
      consignee: {
        name: 'Absheron Trade LLC',
        address: { streetAndNumber: '5 Neftchilar Ave', city: 'Baku', country: 'AZ' },
      },
      countriesOfRouting: ['GE', 'AZ'],
      departureTransportMeans: [{ typeOfIdentification: '30', identificationNumber: 'GE-123-AB', nationality: 'GE' }],
      transportEquipment: [{ containerIdentificationNumber: 'MSKU9070323', seals: [{ identifier: 'S0001' }] }],
      goodsItems: [
        {
          goodsItemNumber: 1,
          description: 'Laptop computers',
          hsCode: '847130',
          grossMass: 1_100,
          netMass: 1_000,
          packages: [{ typeOfPackages: 'CT', numberOfPackages: 200 }],
          value: { amount: 40_000, currency: 'USD' },
        },
        {
          goodsItemNumber: 2,
          description: 'Cotton, not carded or combed',
          hsCode: '520100',
          grossMass: 20_100,
          netMass: 20_000,
          packages: [{ typeOfPackages: 'BL', numberOfPackages: 100 }],
          value: { amount: 34_000, currency: 'USD' },
        },
      ],
    },
  };
}

/**
 * Turns `ctd` (lodged in Georgia) into a movement from Georgia into Azerbaijan:
 * Tbilisi → Red Bridge (GE) → Red Bridge (AZ) → Baku port, so its release sends
 * IE001 and IE050 to AZ; 1,000 GEL covers the duties due on that route. Changes and
 * returns `ctd`.
 */
export function intoAzerbaijan<T extends Ctd>(ctd: T): T {
  ctd.offices = { departure: 'GE000010', transit: ['GE069002', 'AZ000210'], destination: 'AZ000100' };
  ctd.consignment.countriesOfRouting = ['GE', 'AZ'];
  ctd.consignment.countryOfDestination = 'AZ';
  ctd.guarantees[0]!.references[0]!.amountToBeCovered = 1000;
  return ctd;
}
