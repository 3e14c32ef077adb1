// The params of a request (headers, tags, timeout, responseType, redirects, responseCallback) and its body.
import type { ExpectedStatuses } from './expected-statuses.ts';
import type { ResponseType } from './response.ts';

export interface Params {
  headers?: Record<string, string | number>;
  tags?: Record<string, string | number | boolean>;
  timeout?: number | string;
  responseType?: ResponseType;
  redirects?: number;
  responseCallback?: ExpectedStatuses | null;
  [other: string]: unknown;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export type RequestBody = string | Buffer | null;

export function encodeBody(body: unknown): { body: RequestBody; form: boolean } {
  if (body === null || body === undefined) return { body: null, form: false };
  if (typeof body === 'string') return { body, form: false };
  if (body instanceof ArrayBuffer) return { body: Buffer.from(body), form: false };
  if (ArrayBuffer.isView(body))
    return { body: Buffer.from(body.buffer, body.byteOffset, body.byteLength), form: false };
  if (typeof body === 'object') {
    // k6 sends a plain object as an urlencoded form.
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) form.append(k, String(v));
    return { body: form.toString(), form: true };
  }
  return { body: String(body), form: false };
}

export function hasHeader(headers: string[], name: string): boolean {
  for (let i = 0; i < headers.length; i += 2) if (headers[i].toLowerCase() === name) return true;
  return false;
}
