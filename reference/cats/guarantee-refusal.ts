// Why a guarantee could not cover a movement, as a rejection pointing at the CTD's reference to it.
import type { GuaranteeCheck } from '../store/movements.ts';
import { Rejection } from './rejection.ts';

export function guaranteeRefusal(g: GuaranteeCheck, holderTin: string, pointer: string): Rejection {
  const one = (status: number, code: Rejection['code'], field: string, message: string) =>
    new Rejection(status, code, message, [{ code, pointer: `${pointer}/${field}`, message }]);
  // A guarantee of another holder is reported as unknown: its existence is not theirs to learn.
  if (g.status === null || g.holderTin !== holderTin)
    return one(422, 'GUARANTEE_NOT_FOUND', 'grn', `guarantee ${g.grn} not found for holder ${holderTin}`);
  if (g.status !== 'ACTIVE')
    return one(422, 'GUARANTEE_NOT_ACTIVE', 'grn', `guarantee ${g.grn} is ${g.status.toLowerCase()}, not active`);
  if (!g.accessCodeOk) {
    return one(422, 'GUARANTEE_ACCESS_CODE', 'accessCode', `wrong access code for guarantee ${g.grn}`);
  }
  if (g.currency !== g.wantedCurrency) {
    return one(
      422,
      'GUARANTEE_CURRENCY_MISMATCH',
      'currency',
      `guarantee ${g.grn} is held in ${g.currency}, the reference declares ${g.wantedCurrency}`,
    );
  }
  if (g.type !== g.wantedType) {
    return one(
      422,
      'GUARANTEE_TYPE_MISMATCH',
      'grn',
      `guarantee ${g.grn} is of type ${g.type}, the CTD declares type ${g.wantedType}`,
    );
  }
  if (g.usedBy !== null && (g.type === '2' || g.type === '4')) {
    return one(
      409,
      'GUARANTEE_ALREADY_USED',
      'grn',
      `guarantee ${g.grn} is an individual guarantee already used by movement ${g.usedBy}`,
    );
  }
  const available = g.referenceAmount - g.reserved;
  return one(
    409,
    'GUARANTEE_INSUFFICIENT',
    'grn',
    `guarantee ${g.grn} has ${(available / 100).toFixed(2)} ${g.currency} available, ${(g.amount / 100).toFixed(2)} needed`,
  );
}
