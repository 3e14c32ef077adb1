import { describe, expect, it } from 'vitest';
import { checkCtdsAtDeparture } from './ctd-at-departure.ts';
import { lastAcks } from './journal.ts';
import { movement, mrn, node, snapshot } from './testing/snapshot.ts';

const ack = (m: string, step: string, state: string, t = 1) => ({ t, mrn: m, step, state });

describe('check: every CTD the run got an MRN for, at its departure node', () => {
  it('passes when each acknowledged MRN is held once at its departure node, at or after the acknowledged state', () => {
    const a = mrn('GE', 1);
    const b = mrn('AZ', 2);
    const result = checkCtdsAtDeparture(
      snapshot([
        node('GE', { movements: [movement({ mrn: a, state: 'WRITTEN_OFF' })] }),
        node('AZ', { movements: [movement({ mrn: b, state: 'UNDER_CONTROL' })] }),
      ]),
      {
        journal: lastAcks([
          ack(a, 'ctd_submit', 'RELEASED'),
          ack(a, 'movement_crossing', 'IN_TRANSIT', 2),
          ack(b, 'ctd_submit', 'UNDER_CONTROL'),
        ]),
      },
    );
    expect(result).toMatchObject({ status: 'pass', checked: 2, discrepancies: 0 });
  });

  it('names an MRN missing at its departure node, and one held twice', () => {
    const lost = mrn('GE', 1);
    const twice = mrn('GE', 2);
    const result = checkCtdsAtDeparture(
      snapshot([node('GE', { movements: [movement({ mrn: twice }), movement({ mrn: twice })] })]),
      { journal: lastAcks([ack(lost, 'ctd_submit', 'RELEASED'), ack(twice, 'ctd_submit', 'RELEASED')]) },
    );
    expect(result.status).toBe('fail');
    expect(result.counts).toMatchObject({ missing: 1, duplicated: 1 });
    expect(result.first.map((d) => d.mrn)).toEqual([lost, twice]);
  });

  it('finds a state that cannot follow the last acknowledged step (a crossing the departure never learnt of)', () => {
    const m = mrn('GE', 3);
    const result = checkCtdsAtDeparture(
      snapshot([node('GE', { movements: [movement({ mrn: m, state: 'RELEASED' })] })]),
      {
        journal: lastAcks([ack(m, 'ctd_submit', 'RELEASED', 1), ack(m, 'movement_crossing', 'RELEASED', 2)]),
      },
    );
    expect(result.counts.inconsistentState).toBe(1);
    expect(result.first[0]).toMatchObject({ mrn: m, node: 'GE' });
    expect(result.first[0]!.problem).toContain('expected IN_TRANSIT or later');
  });

  it('finds a movement held at a node other than its MRN country', () => {
    const m = mrn('GE', 4);
    const result = checkCtdsAtDeparture(
      snapshot([node('GE', { movements: [movement({ mrn: m })] }), node('AZ', { movements: [movement({ mrn: m })] })]),
      { journal: lastAcks([ack(m, 'ctd_submit', 'RELEASED')]) },
    );
    expect(result.counts.wrongNode).toBe(1);
  });

  it('without a journal, counts departure movements against the accepted CTDs and says so', () => {
    const s = snapshot([node('GE', { movements: [movement({ mrn: mrn('GE', 1) })] })]);
    const short = checkCtdsAtDeparture(s, { acceptedCount: 2 });
    expect(short).toMatchObject({ status: 'fail', counts: { missing: 1 } });
    expect(short.note).toContain('not per MRN');
    expect(checkCtdsAtDeparture(s, { acceptedCount: 1 }).status).toBe('pass');
  });

  it('is not applicable when a node has no audit route for its movements', () => {
    const result = checkCtdsAtDeparture(snapshot([node('GE', { movements: { unavailable: '404' } })]), {
      journal: new Map(),
    });
    expect(result).toMatchObject({ status: 'not-applicable', note: 'node GE: 404' });
  });
});
