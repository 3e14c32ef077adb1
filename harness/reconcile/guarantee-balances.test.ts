import { describe, expect, it } from 'vitest';
import { checkGuaranteeBalances } from './guarantee-balances.ts';
import { guarantee, movement, mrn, node, snapshot } from './testing/snapshot.ts';

const G1 = '26GE0000000000011';
const G2 = '26GE0000000000022';
const holding = (m: string, grn: string, amountMinor: number, state = 'RELEASED') =>
  movement({ mrn: m, state: state as never, reservations: [{ grn, amountMinor, currency: 'GEL' }] });

describe('check: guarantee balances', () => {
  it('passes when each guarantee reserves exactly what its open movements hold', () => {
    const result = checkGuaranteeBalances(
      snapshot([
        node('GE', {
          guarantees: [guarantee(G1, 100_000, 30_000), guarantee(G2, 50_000, 0)],
          movements: [
            holding(mrn('GE', 1), G1, 10_000),
            holding(mrn('GE', 2), G1, 20_000),
            movement({ mrn: mrn('GE', 3), state: 'WRITTEN_OFF' }),
          ],
        }),
      ]),
    );
    expect(result).toMatchObject({ status: 'pass', checked: 2, discrepancies: 0 });
  });

  it('finds an overdrawn guarantee', () => {
    const m = mrn('GE', 1);
    const result = checkGuaranteeBalances(
      snapshot([node('GE', { guarantees: [guarantee(G1, 10_000, 12_000)], movements: [holding(m, G1, 12_000)] })]),
    );
    expect(result.counts).toMatchObject({ overdrawn: 1, balanceMismatch: 0 });
    expect(result.first[0]).toMatchObject({ grn: G1, mrn: m, node: 'GE' });
  });

  it('finds a balance that does not match its movements, and a reservation a finished movement still holds', () => {
    const done = mrn('GE', 2);
    const result = checkGuaranteeBalances(
      snapshot([
        node('GE', {
          // 10 000 reserved, but the open movement holds 4 000 and the written-off one 6 000 it should have given back.
          guarantees: [guarantee(G1, 100_000, 10_000), { ...guarantee(G2, 100, 0), availableMinor: 90 }],
          movements: [holding(mrn('GE', 1), G1, 4_000), holding(done, G1, 6_000, 'WRITTEN_OFF')],
        }),
      ]),
    );
    expect(result.counts).toMatchObject({ notGivenBack: 1, balanceMismatch: 1 });
    expect(result.first[0]).toMatchObject({ mrn: done, grn: G1 });
    // Sum 10 000 matches the reserved figure, so the mismatch is G2's available balance.
    expect(result.first[1]).toMatchObject({ grn: G2 });
  });

  it('finds a reservation on a guarantee the node does not hold', () => {
    const result = checkGuaranteeBalances(
      snapshot([node('GE', { guarantees: [], movements: [holding(mrn('GE', 1), G1, 1)] })]),
    );
    expect(result.counts.unknownGuarantee).toBe(1);
  });

  it('counts a KZ guarantee securing a GE movement once, where it is registered, and matches both sides', () => {
    const KZ = '26KZ0000000000017';
    const m = mrn('GE', 7);
    const abroad = (amountMinor: number, state = 'RELEASED') =>
      movement({ mrn: m, state: state as never, reservedAbroad: [{ grn: KZ, amountMinor, currency: 'KZT' }] });
    const kz = (amountMinor: number) =>
      node('KZ', {
        guarantees: [
          { ...guarantee(KZ, 100_000, amountMinor), uses: [{ mrn: m, departureCountry: 'GE', amountMinor }] },
        ],
        movements: [],
      });
    const pass = checkGuaranteeBalances(
      snapshot([node('GE', { guarantees: [], movements: [abroad(5_000)] }), kz(5_000)]),
    );
    expect(pass).toMatchObject({ status: 'pass', discrepancies: 0 });

    // Departure reports another amount than the guarantee's node holds, or holds it after write-off.
    const differs = checkGuaranteeBalances(
      snapshot([node('GE', { guarantees: [], movements: [abroad(4_000)] }), kz(5_000)]),
    );
    expect(differs.counts).toMatchObject({ useMismatch: 1 });
    const finished = checkGuaranteeBalances(
      snapshot([node('GE', { guarantees: [], movements: [abroad(5_000, 'WRITTEN_OFF')] }), kz(5_000)]),
    );
    expect(finished.counts).toMatchObject({ notGivenBack: 1 });

    // The guarantee's node holds a use departure knows nothing of (an IE204 lost), and the reverse.
    const orphan = checkGuaranteeBalances(
      snapshot([node('GE', { guarantees: [], movements: [movement({ mrn: m, state: 'NOT_RELEASED' })] }), kz(5_000)]),
    );
    expect(orphan.counts).toMatchObject({ useMismatch: 1, balanceMismatch: 0 });
    const missing = checkGuaranteeBalances(
      snapshot([
        node('GE', { guarantees: [], movements: [abroad(5_000)] }),
        node('KZ', { guarantees: [guarantee(KZ, 100_000, 0)], movements: [] }),
      ]),
    );
    expect(missing.counts).toMatchObject({ useMismatch: 1 });
  });

  it('is not applicable when a node lacks the guarantees audit route', () => {
    expect(checkGuaranteeBalances(snapshot([node('GE', { guarantees: { unavailable: 'answered 404' } })])).status).toBe(
      'not-applicable',
    );
  });
});
