// Bad fault input (a toxic, a schedule, a fault a deployment cannot take):
// `{code, message, errors: [{code, pointer, message}]}` like the API's 4xx
// bodies. Whatever raised it changed nothing.
export interface FaultErrorDetail {
  code: string;
  /** JSON pointer into the input (for a compact spec, `/N` is its N-th event). */
  pointer: string;
  message: string;
}

export class FaultError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly errors: FaultErrorDetail[] = [],
  ) {
    super(message);
  }

  toJSON() {
    return { code: this.code, message: this.message, errors: this.errors };
  }
}
