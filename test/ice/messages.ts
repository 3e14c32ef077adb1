// Small valid ICE messages for tests and benches.
import { randomUUID } from 'node:crypto';
import { mrnFromSequence } from '../../reference/domain/mrn.ts';
import { offices } from '../../reference/spec/reference-data/offices.ts';
import type { IceMessageOf } from '../../reference/spec/ice/catalogue.ts';

const officeOf = (country: string) => {
  const o = offices.find((x) => x.country === country && x.roles.includes('TRA'));
  if (!o) throw new Error(`no office in ${country}`);
  return o.referenceNumber;
};

export function movementMrn(country: string, sequence: number): string {
  return mrnFromSequence({ year: 2026, country, security: 0, sequence: BigInt(sequence) });
}

/** A notification crossing frontier from an office of transit in `from` to the departure office in `to`. */
export function crossing(from: string, to: string, mrn: string): IceMessageOf<'IE118'> {
  return {
    id: randomUUID(),
    type: 'IE118',
    sender: { country: from, office: officeOf(from) },
    recipient: { country: to, office: officeOf(to) },
    mrn,
    sentAt: new Date().toISOString(),
    body: { officeOfTransit: officeOf(from), crossedAt: new Date().toISOString() },
  };
}
