// A step refused because of where the movement stands (409, ILLEGAL_TRANSITION), with the field at fault.
import { Rejection } from './rejection.ts';

export function outOfSequence(message: string, pointer = ''): Rejection {
  return new Rejection(409, 'ILLEGAL_TRANSITION', message, [{ code: 'ILLEGAL_TRANSITION', pointer, message }]);
}
