// Why a guarantee could not cover a movement, as a rejection pointing at the CTD's guarantee reference.
import type { GuaranteeCheck } from '../store/movements.ts';
import { Rejection } from './rejection.ts';

const REF = '/guarantees/0/references/0';

export function guaranteeRefusal(
  g: GuaranteeCheck | undefined,
  wanted: { grn: string; holderTin: string; currency: string; amount: number },
): Rejection {
  const one = (status: number, code: Rejection['code'], field: string, message: string) =>
    new Rejection(status, code, message, [{ code, pointer: `${REF}/${field}`, message }]);
  // A guarantee of another holder is reported as unknown: its existence is not theirs to learn.
  if (!g || g.holderTin !== wanted.holderTin)
    return one(422, 'GUARANTEE_NOT_FOUND', 'grn', `guarantee ${wanted.grn} not found for holder ${wanted.holderTin}`);
  if (g.status !== 'ACTIVE')
    return one(422, 'GUARANTEE_NOT_ACTIVE', 'grn', `guarantee ${wanted.grn} is ${g.status.toLowerCase()}, not active`);
  if (!g.accessCodeOk) {
    return one(422, 'GUARANTEE_ACCESS_CODE', 'accessCode', `wrong access code for guarantee ${wanted.grn}`);
  }
  if (g.currency !== wanted.currency) {
    return one(
      422,
      'GUARANTEE_CURRENCY_MISMATCH',
      'currency',
      `guarantee ${wanted.grn} is held in ${g.currency}, the reference declares ${wanted.currency}`,
    );
  }
  const available = g.referenceAmount - g.reserved;
  return one(
    409,
    'GUARANTEE_INSUFFICIENT',
    'grn',
    `guarantee ${wanted.grn} has ${(available / 100).toFixed(2)} ${g.currency} available, ${(wanted.amount / 100).toFixed(2)} needed`,
  );
}
