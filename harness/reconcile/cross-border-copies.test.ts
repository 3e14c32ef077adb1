import { describe, expect, it } from 'vitest';
import { checkCrossBorderCopies } from './cross-border-copies.ts';
import { movement, mrn, node, OFFICES, snapshot } from './testing/snapshot.ts';

const declared = (m: string, state = 'RELEASED') =>
  movement({
    mrn: m,
    state: state as never,
    offices: { departure: OFFICES.GE, transit: [OFFICES.AZ], destination: OFFICES.KZ },
  });
const copy = (m: string, role: 'transit' | 'destination') => movement({ mrn: m, role });

describe('check: released cross-border movements at their transit and destination nodes', () => {
  it('passes when each released movement has its copy at every other country of its route in the deployment', () => {
    const m = mrn('GE', 1);
    const result = checkCrossBorderCopies(
      snapshot(
        [
          node('GE', { movements: [declared(m), movement({ mrn: mrn('GE', 2), state: 'UNDER_CONTROL' })] }),
          node('AZ', { movements: [copy(m, 'transit')] }),
          node('KZ', { movements: [copy(m, 'destination')] }),
        ],
        [],
      ),
    );
    // The movement under control is not released: no copies are due.
    expect(result).toMatchObject({ status: 'pass', checked: 1 });
  });

  it('names the MRN and the node a copy is missing at, and a copy held twice', () => {
    const m = mrn('GE', 1);
    const result = checkCrossBorderCopies(
      snapshot(
        [
          node('GE', { movements: [declared(m, 'IN_TRANSIT')] }),
          node('AZ', { movements: [copy(m, 'transit'), copy(m, 'transit')] }),
          node('KZ', { movements: [] }),
        ],
        [],
      ),
    );
    expect(result.counts).toMatchObject({ missing: 1, duplicated: 1 });
    expect(result.first).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ mrn: m, node: 'KZ' }),
        expect.objectContaining({ mrn: m, node: 'AZ' }),
      ]),
    );
  });

  it('skips countries of the route without a node in the deployment', () => {
    const m = mrn('GE', 1);
    const result = checkCrossBorderCopies(snapshot([node('GE', { movements: [declared(m)] })], []));
    expect(result).toMatchObject({ status: 'pass', checked: 0 });
  });

  it('is not applicable without ICE', () => {
    expect(checkCrossBorderCopies(snapshot([node('GE')])).status).toBe('not-applicable');
  });
});
