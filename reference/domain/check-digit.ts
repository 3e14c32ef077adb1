// The NCTS check digit of MRNs and GRNs (EC working document DGXXI/0879/99
// Rev.1) and of ISO 6346 container numbers: the same algorithm.
//
// Each character gets a value: digits their face value; letters from A=10
// upwards, skipping the multiples of 11 (11, 22, 33), so B=12, L=23, V=34, Z=38.
// The value at position i (0-based) is weighted by 2^i; the sum modulo 11 is the
// check digit, a remainder of 10 giving 0.

const letterValues: readonly number[] = (() => {
  const values: number[] = [];
  let v = 10;
  for (let i = 0; i < 26; i++) {
    if (v % 11 === 0) v++;
    values.push(v++);
  }
  return values;
})();

/** Value of one character in the check-digit algorithm, or -1 if it has none. */
function charValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 65 && code <= 90) return letterValues[code - 65]!; // A-Z
  return -1;
}

/**
 * Check digit (0–9) of `s`, which holds only digits and upper-case letters.
 * Throws a RangeError for any other character, as no check digit exists then.
 */
export function checkDigit(s: string): number {
  let sum = 0;
  let weight = 1;
  for (let i = 0; i < s.length; i++) {
    const value = charValue(s.charCodeAt(i));
    if (value < 0) throw new RangeError(`character ${JSON.stringify(s[i])} at position ${i} has no check-digit value`);
    // Weights grow as 2^i; keeping the running sum modulo 11 avoids losing
    // precision on long inputs.
    sum = (sum + value * weight) % 11;
    weight = (weight * 2) % 11;
  }
  return sum % 11 === 10 ? 0 : sum % 11;
}

const containerPattern = /^[A-Z]{3}[UJZR][0-9]{7}$/;

/** True when `s` is an ISO 6346 container number (owner code, category, serial, check digit) whose check digit is right. */
export function isValidContainerNumber(s: string): boolean {
  return containerPattern.test(s) && checkDigit(s.slice(0, 10)) === Number(s[10]);
}
