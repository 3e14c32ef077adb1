import { describe, expect, it } from 'vitest';
import type { Ctd } from '../spec/ctd.ts';
import { countries, countryByCode } from '../spec/reference-data/countries.ts';
import { officeByReference, offices } from '../spec/reference-data/offices.ts';
import { checkCtd, isValidHsChapter, type CtdContext } from './ctd-rules.ts';
import { amountDue, checkDeclaredAmount } from './guarantee.ts';
import { assessRisk } from './risk.ts';
import { sampleCtd } from './testing/sample-ctd.ts';

const context: CtdContext = { nodeCountry: 'GE', offices, countries };

function errorsOf(edit: (ctd: Ctd) => void, ctx: CtdContext = context) {
  const ctd = sampleCtd();
  edit(ctd);
  return checkCtd(ctd, ctx).map(({ code, pointer }) => ({ code, pointer }));
}

describe('checkCtd', () => {
  it('accepts a consistent CTD, with arrays or maps as reference tables', () => {
    expect(checkCtd(sampleCtd(), context)).toEqual([]);
    expect(checkCtd(sampleCtd(), { nodeCountry: 'GE', offices: officeByReference, countries: countryByCode })).toEqual(
      [],
    );
  });

  describe('offices', () => {
    it('reports unknown offices at their pointer', () => {
      expect(
        errorsOf((c) => {
          c.offices.departure = 'GE999999';
          c.offices.transit[1] = 'AZ999999';
          c.offices.destination = 'AZ888888';
        }),
      ).toEqual([
        { code: 'UNKNOWN_OFFICE', pointer: '/offices/departure' },
        { code: 'UNKNOWN_OFFICE', pointer: '/offices/transit/1' },
        { code: 'UNKNOWN_OFFICE', pointer: '/offices/destination' },
      ]);
    });

    it('reports an office declared in a role it does not have', () => {
      // Tbilisi and Almaty are inland DEP/DES offices, not offices of transit.
      const errors = errorsOf((c) => {
        c.offices.transit = ['GE000010', 'AZ000210'];
      });
      expect(errors).toEqual([{ code: 'OFFICE_ROLE_MISMATCH', pointer: '/offices/transit/0' }]);
    });

    it("requires the office of departure in the node's country", () => {
      expect(errorsOf(() => {}, { ...context, nodeCountry: 'AZ' })).toEqual([
        { code: 'OFFICE_ROLE_MISMATCH', pointer: '/offices/departure' },
      ]);
    });
  });

  describe('itinerary', () => {
    it('must start in the country of departure and end in that of destination', () => {
      expect(errorsOf((c) => (c.consignment.countriesOfRouting = ['AZ', 'GE']))).toEqual([
        { code: 'ITINERARY_MISMATCH', pointer: '/consignment/countriesOfRouting/0' },
        { code: 'ITINERARY_MISMATCH', pointer: '/consignment/countriesOfRouting/1' },
        // AZ000210 is in AZ, which now comes before GE069002's GE.
        { code: 'ITINERARY_MISMATCH', pointer: '/offices/transit/1' },
      ]);
    });

    it("must contain each office of transit's country, in declared order", () => {
      expect(
        errorsOf((c) => {
          c.offices.destination = 'KZ000010';
          c.offices.transit = ['GE069002', 'KZ470100', 'AZ000100'];
          c.consignment.countriesOfRouting = ['GE', 'AZ', 'KZ'];
        }),
      ).toEqual([{ code: 'ITINERARY_MISMATCH', pointer: '/offices/transit/2' }]);
      expect(
        errorsOf((c) => {
          c.offices.transit = ['GE069002', 'KZ470100'];
        }),
      ).toEqual([{ code: 'ITINERARY_MISMATCH', pointer: '/offices/transit/1' }]);
    });

    it('accepts several offices of transit in one country and an itinerary through countries without office', () => {
      expect(
        errorsOf((c) => {
          c.offices.transit = ['GE069002', 'AZ000210', 'AZ000220'];
          c.offices.destination = 'KZ000010';
          c.consignment.countriesOfRouting = ['GE', 'AZ', 'TM', 'KZ'];
        }),
      ).toEqual([]);
    });

    it('refuses an office of transit at the internal EAEU border (Kyrgyz Republic–Kazakhstan)', () => {
      const kg: CtdContext = { ...context, nodeCountry: 'KG' };
      const torugartToAlmaty = (c: Ctd) => {
        c.offices.departure = 'KG000110';
        c.offices.transit = [];
        c.offices.destination = 'KZ000010';
        c.consignment.countriesOfRouting = ['KG', 'KZ'];
      };
      expect(errorsOf(torugartToAlmaty, kg)).toEqual([]);
      expect(
        errorsOf((c) => {
          torugartToAlmaty(c);
          c.offices.transit = ['KZ310100'];
        }, kg),
      ).toEqual([{ code: 'TRANSIT_AT_INTERNAL_BORDER', pointer: '/offices/transit/0' }]);
      // Entering Kazakhstan from Uzbekistan crosses the EAEU's external border: an office of transit belongs there.
      expect(
        errorsOf(
          (c) => {
            c.offices.departure = 'UZ000010';
            c.offices.transit = ['KZ580100'];
            c.offices.destination = 'KZ000010';
            c.consignment.countriesOfRouting = ['UZ', 'KZ'];
          },
          { ...context, nodeCountry: 'UZ' },
        ),
      ).toEqual([]);
    });

    it('rejects an office of transit declared twice', () => {
      expect(errorsOf((c) => (c.offices.transit = ['GE069002', 'GE069002', 'AZ000210']))).toEqual([
        { code: 'ITINERARY_MISMATCH', pointer: '/offices/transit/1' },
      ]);
    });

    it('reports unknown countries of routing, dispatch and destination', () => {
      expect(
        errorsOf((c) => {
          c.consignment.countriesOfRouting = ['GE', 'ZZ', 'AZ'];
          c.consignment.countryOfDispatch = 'QQ';
          c.consignment.countryOfDestination = 'XY';
        }),
      ).toEqual([
        { code: 'UNKNOWN_COUNTRY', pointer: '/consignment/countriesOfRouting/1' },
        { code: 'UNKNOWN_COUNTRY', pointer: '/consignment/countryOfDispatch' },
        { code: 'UNKNOWN_COUNTRY', pointer: '/consignment/countryOfDestination' },
      ]);
    });
  });

  it('reports unknown currencies of guarantees and goods values', () => {
    expect(
      errorsOf((c) => {
        c.guarantees[0]!.references[0]!.currency = 'JPY';
        c.consignment.goodsItems[1]!.value.currency = 'GBP';
      }),
    ).toEqual([
      { code: 'UNKNOWN_CURRENCY', pointer: '/guarantees/0/references/0/currency' },
      { code: 'UNKNOWN_CURRENCY', pointer: '/consignment/goodsItems/1/value/currency' },
    ]);
  });

  it('reports container numbers with a wrong ISO 6346 check digit', () => {
    expect(
      errorsOf((c) => {
        c.consignment.transportEquipment.push(
          { containerIdentificationNumber: 'CSQU3054384', seals: [] },
          { seals: [] },
        );
      }),
    ).toEqual([
      { code: 'INVALID_CONTAINER_NUMBER', pointer: '/consignment/transportEquipment/1/containerIdentificationNumber' },
    ]);
  });

  it('reports HS codes outside chapters 01-97 and chapter 77', () => {
    expect(
      errorsOf((c) => {
        c.consignment.goodsItems[0]!.hsCode = '000000';
        c.consignment.goodsItems[1]!.hsCode = '770100';
      }),
    ).toEqual([
      { code: 'INVALID_HS_CODE', pointer: '/consignment/goodsItems/0/hsCode' },
      { code: 'INVALID_HS_CODE', pointer: '/consignment/goodsItems/1/hsCode' },
    ]);
    expect(['010121', '970600', '760110'].every(isValidHsChapter)).toBe(true);
    expect(['980000', '990000', '770000', '00'].some(isValidHsChapter)).toBe(false);
  });

  it('reports codes that are no HS 2022 subheading, such as 9405.40 (split into 9405.41/42/49 in 2022)', () => {
    const errors = checkCtd(
      (() => {
        const ctd = sampleCtd();
        ctd.consignment.goodsItems[0]!.hsCode = '940540';
        ctd.consignment.goodsItems[1]!.hsCode = '940542';
        return ctd;
      })(),
      context,
    );
    expect(errors).toEqual([
      {
        code: 'INVALID_HS_CODE',
        pointer: '/consignment/goodsItems/0/hsCode',
        message: '940540 is no HS 2022 subheading: use 9405.41, 9405.42 or 9405.49',
      },
    ]);
  });

  describe('masses', () => {
    it('reports an item whose net mass exceeds its gross mass', () => {
      expect(errorsOf((c) => (c.consignment.goodsItems[1]!.netMass = 20_100.5))).toEqual([
        { code: 'MASS_INCONSISTENT', pointer: '/consignment/goodsItems/1/netMass' },
      ]);
      expect(errorsOf((c) => (c.consignment.goodsItems[1]!.netMass = 20_100))).toEqual([]);
    });

    it('reports items heavier than the consignment beyond 0.5 % or 1 kg', () => {
      // Items weigh 21,200 kg gross; 0.5 % of 21,100 = 105.5 kg of tolerance.
      expect(errorsOf((c) => (c.consignment.grossMass = 21_095))).toEqual([]);
      expect(errorsOf((c) => (c.consignment.grossMass = 21_094))).toEqual([
        { code: 'MASS_INCONSISTENT', pointer: '/consignment/grossMass' },
      ]);
      // Small consignments get 1 kg.
      const small = (gross: number) =>
        errorsOf((c) => {
          c.consignment.goodsItems = [{ ...c.consignment.goodsItems[0]!, grossMass: 11, netMass: 10 }];
          c.consignment.grossMass = gross;
        });
      expect(small(10)).toEqual([]);
      expect(small(9.9)).toEqual([{ code: 'MASS_INCONSISTENT', pointer: '/consignment/grossMass' }]);
    });
  });

  it('bounds the goods value and the amounts to be covered to 1,000,000,000 USD each', () => {
    expect(
      errorsOf((c) => {
        c.consignment.goodsItems[0]!.value = { amount: 999_926_000, currency: 'USD' }; // + 74,000 - 40,000 = 999,960,000
        c.guarantees[0]!.references[0]!.amountToBeCovered = 2_750_000_000; // GEL = 1e9 USD
      }),
    ).toEqual([]);
    expect(
      errorsOf((c) => {
        c.consignment.goodsItems[1]!.value = { amount: 1e300, currency: 'UZS' };
        c.guarantees[0]!.references.push({
          ...c.guarantees[0]!.references[0]!,
          amountToBeCovered: 1e9,
          currency: 'USD',
        });
      }),
    ).toEqual([
      { code: 'AMOUNT_OUT_OF_RANGE', pointer: '/guarantees' },
      { code: 'AMOUNT_OUT_OF_RANGE', pointer: '/consignment/goodsItems' },
    ]);
  });

  it('leaves a CTD it accepts safe for the guarantee calculus and risk rules', () => {
    const ctd = sampleCtd();
    ctd.consignment.goodsItems = Array.from({ length: 1999 }, (_, i) => ({
      ...sampleCtd().consignment.goodsItems[0]!,
      goodsItemNumber: i + 1,
      grossMass: 1,
      netMass: 1,
      value: { amount: 500_000, currency: 'USD' }, // 999,500,000 USD in all
    }));
    ctd.consignment.grossMass = 1999;
    ctd.guarantees[0]!.references[0]!.currency = 'UZS';
    ctd.guarantees[0]!.references[0]!.amountToBeCovered = 1e9 * 12_700;
    ctd.consignment.countriesOfRouting = ['GE', 'UZ', 'AZ'];
    expect(checkCtd(ctd, context)).toEqual([]);
    const due = amountDue(ctd, countries);
    expect(Number.isSafeInteger(due.amount)).toBe(true);
    expect(checkDeclaredAmount(ctd, countries)).toEqual([]);
    expect(assessRisk(ctd, { aeo: false, releasedMovements: 0 }).riskClass).toBe('high');
  });

  it('reports every broken rule at once with a readable message', () => {
    const ctd = sampleCtd();
    ctd.offices.destination = 'XX000000';
    ctd.consignment.goodsItems[0]!.hsCode = '990000';
    const errors = checkCtd(ctd, context);
    expect(errors).toEqual([
      {
        code: 'UNKNOWN_OFFICE',
        pointer: '/offices/destination',
        message: 'customs office XX000000 is not in the office list',
      },
      {
        code: 'INVALID_HS_CODE',
        pointer: '/consignment/goodsItems/0/hsCode',
        message: '990000 is not in an HS chapter (01-97, not 77)',
      },
    ]);
  });
});
