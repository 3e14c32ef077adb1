import { describe, expect, it } from 'vitest';
import { checkC2cExactlyOnce } from './c2c-exactly-once.ts';
import { applied, messageId, mrn, node, snapshot, stored } from './testing/snapshot.ts';

describe('check: every C2C message ICE stored applied exactly once', () => {
  it('passes when each message ICE marked applied is once in its recipient ledger', () => {
    const result = checkC2cExactlyOnce(
      snapshot(
        [node('AZ', { applied: [applied(messageId(1))] }), node('KZ', { applied: [applied(messageId(2), 'IE001')] })],
        [
          stored({ id: messageId(1), recipient: 'AZ' }),
          stored({ id: messageId(2), recipient: 'KZ', type: 'IE001' }),
          // A load identity's message: outside the deployment.
          stored({ id: messageId(3), recipient: 'TR' }),
        ],
      ),
    );
    expect(result).toMatchObject({ status: 'pass', checked: 2, counts: { appliedOnce: 2, outsideDeployment: 1 } });
  });

  it('a lost message and a duplicate do not cancel out: both are named', () => {
    const lostMrn = mrn('GE', 7);
    const result = checkC2cExactlyOnce(
      snapshot(
        [node('AZ', { applied: [applied(messageId(2)), applied(messageId(2))] })],
        [stored({ id: messageId(1), recipient: 'AZ', mrn: lostMrn }), stored({ id: messageId(2), recipient: 'AZ' })],
      ),
    );
    expect(result.status).toBe('fail');
    expect(result.counts).toMatchObject({ lost: 1, appliedTwice: 1 });
    expect(result.first[0]).toMatchObject({ mrn: lostMrn, messageId: messageId(1), node: 'AZ' });
    expect(result.first[1]).toMatchObject({ messageId: messageId(2) });
  });

  it('counts undelivered and rejected messages, and applications ICE never stored', () => {
    const result = checkC2cExactlyOnce(
      snapshot(
        [node('AZ', { applied: [applied(messageId(9))] })],
        [
          stored({ id: messageId(1), recipient: 'AZ', status: 'pending', deliveredAt: null }),
          stored({
            id: messageId(2),
            recipient: 'AZ',
            status: 'rejected',
            rejection: { code: 'UNKNOWN_MOVEMENT', message: 'no such movement' },
          }),
        ],
      ),
    );
    expect(result.counts).toMatchObject({ notDelivered: 1, rejected: 1, notStoredByIce: 1 });
    expect(result.first[1]!.problem).toContain('UNKNOWN_MOVEMENT');
  });

  it('is not applicable when ICE or a node lacks its audit route', () => {
    expect(checkC2cExactlyOnce(snapshot([node('AZ')], { unavailable: 'answered 404' })).status).toBe('not-applicable');
    expect(checkC2cExactlyOnce(snapshot([node('AZ', { applied: { unavailable: 'answered 401' } })], [])).note).toBe(
      'node AZ: answered 401',
    );
    expect(checkC2cExactlyOnce(snapshot([node('AZ')])).note).toBe('the deployment has no ICE');
  });

  it('fails, naming the part, when ICE or a node does not answer at all', () => {
    const down = {
      unavailable: 'GET /v1/audit/messages got no answer: connect ECONNREFUSED',
      unreachable: true as const,
    };
    const result = checkC2cExactlyOnce(snapshot([node('AZ')], down));
    expect(result).toMatchObject({ status: 'fail', counts: { unreachable: 1 } });
    expect(result.first[0]!.problem).toContain('ICE could not be audited');
    const nodeDown = checkC2cExactlyOnce(snapshot([node('AZ', { applied: down })], []));
    expect(nodeDown.first[0]).toMatchObject({ node: 'AZ' });
  });
});
