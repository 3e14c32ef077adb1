// Local Reference Number: the operator's own reference of a declaration,
// an..22 without spaces (NCTS LRNContentType03). Unique per operator; a node
// keys idempotent submission on (operator, LRN).
import { Lrn } from '../spec/ctd.ts';

const lrnPattern = new RegExp(Lrn.pattern!);

export function isValidLrn(s: string): boolean {
  return lrnPattern.test(s);
}
