// A request refused with a 4xx: the one error shape of reference/spec/errors.ts.
import type { ErrorCode, ErrorResponse, FunctionalError } from '../spec/errors.ts';

export class Rejection extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly errors: FunctionalError[] = [],
  ) {
    super(message);
    this.name = 'Rejection';
  }

  body(): ErrorResponse {
    return { code: this.code, message: this.message, errors: this.errors };
  }
}

export const notFound = (what: string) => new Rejection(404, 'NOT_FOUND', `${what} not found`);
export const forbidden = (message: string) => new Rejection(403, 'FORBIDDEN', message);

/** 422 for functional errors; the top-level code is the first error's. */
export function functionalRejection(errors: FunctionalError[], status = 422): Rejection {
  const first = errors[0]!;
  const message = errors.length === 1 ? first.message : `${errors.length} errors, first: ${first.message}`;
  return new Rejection(status, first.code, message, errors);
}
