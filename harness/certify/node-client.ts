// The C2B API of the node under test as certification calls it: every call
// returns its answer together with the evidence (request and response) a
// certificate quotes.
import type { Evidence } from './outcome.ts';

export interface Answer {
  status: number;
  // The node's answer, judged by the checks.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  evidence: Evidence;
}

const EVIDENCE_CHARS = 2_000;

/** A JSON value cut to a readable size for the certificate. */
export function excerpt(value: unknown): unknown {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text.length <= EVIDENCE_CHARS) return value;
  return `${text.slice(0, EVIDENCE_CHARS)}… (${text.length} characters)`;
}

export class NodeClient {
  constructor(readonly url: string) {}

  async call(
    method: 'GET' | 'POST',
    path: string,
    o: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const body = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
    const headers: Record<string, string> = {
      ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...o.headers,
    };
    const res = await fetch(this.url.replace(/\/+$/, '') + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return {
      status: res.status,
      body: parsed,
      evidence: {
        kind: 'http',
        request: { method, path, ...(o.token ? { auth: 'bearer' } : {}), body: excerpt(o.raw ?? o.body) },
        response: { status: res.status, body: excerpt(parsed) },
      },
    };
  }

  get = (path: string, token?: string) => this.call('GET', path, { token });
  post = (path: string, body: unknown, token?: string) => this.call('POST', path, { body, token });
}

/** A rejection in spec v0's one error shape naming `code`. */
export function rejectedWith(a: Answer, status: number, code: string): boolean {
  const b = a.body;
  return (
    a.status === status &&
    typeof b === 'object' &&
    b !== null &&
    b.code === code &&
    typeof b.message === 'string' &&
    Array.isArray(b.errors) &&
    b.errors.every(
      (e: { code?: unknown; pointer?: unknown; message?: unknown }) =>
        typeof e.code === 'string' && typeof e.pointer === 'string' && typeof e.message === 'string',
    )
  );
}

export const succeeded = (a: Answer): boolean => a.status >= 200 && a.status < 300;
