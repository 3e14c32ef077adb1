// A module-level counter: each VU imports its own.
let calls = 0;

export function bump() {
  calls += 1;
  return calls;
}
