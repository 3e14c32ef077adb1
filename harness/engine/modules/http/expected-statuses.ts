// Expected statuses: k6's response callback, which decides http_req_failed and the expected_response tag.

/** The opaque value `expectedStatuses()` returns, k6's only kind of response callback. */
export class ExpectedStatuses {
  readonly #singles: Set<number>;
  readonly #ranges: Array<[number, number]>;
  constructor(singles: Set<number>, ranges: Array<[number, number]>) {
    this.#singles = singles;
    this.#ranges = ranges;
  }
  expected(status: number): boolean {
    if (this.#singles.has(status)) return true;
    for (const [min, max] of this.#ranges) if (status >= min && status <= max) return true;
    return false;
  }
}

/** `expectedStatuses(200, 201, {min: 300, max: 399})`: statuses that do not count in http_req_failed. */
export function expectedStatuses(...statuses: Array<number | { min: number; max: number }>): ExpectedStatuses {
  const singles = new Set<number>();
  const ranges: Array<[number, number]> = [];
  statuses.forEach((s, i) => {
    if (typeof s === 'number' && Number.isInteger(s)) singles.add(s);
    else if (s && typeof s === 'object' && Number.isInteger(s.min) && Number.isInteger(s.max))
      ranges.push([s.min, s.max]);
    else
      throw new TypeError(
        `expectedStatuses: argument ${i} must be an integer status or an object {min, max} of integers, got ${JSON.stringify(s)}`,
      );
  });
  return new ExpectedStatuses(singles, ranges);
}

export let defaultCallback: ExpectedStatuses | null = expectedStatuses({ min: 200, max: 399 });

export function responseCallbackOf(value: unknown, where: string): ExpectedStatuses | null {
  if (value === null) return null;
  if (value instanceof ExpectedStatuses) return value;
  throw new TypeError(`${where} takes the result of http.expectedStatuses(...) or null`);
}

/** Sets the response callback every request uses unless its params give one (null: no http_req_failed). */
export function setResponseCallback(callback: ExpectedStatuses | null): void {
  defaultCallback = responseCallbackOf(callback, 'setResponseCallback');
}
