// The params of a request (headers, tags, timeout, responseType, redirects, responseCallback) and its body.
import type { ExpectedStatuses } from './expected-statuses.ts';
import { FileData, multipartBody } from './multipart.ts';
import type { ResponseType } from './response.ts';
import { encodeValues } from './url-values.ts';

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

const NO_BODY: { body: RequestBody } = Object.freeze({ body: null });

/** The bytes of a request body, and the Content-Type k6 gives it (sent unless the script sets one). */
export function encodeBody(body: unknown): { body: RequestBody; contentType?: string } {
  if (body === null || body === undefined) return NO_BODY;
  if (typeof body === 'string') return { body };
  if (body instanceof ArrayBuffer) return { body: Buffer.from(body) };
  if (ArrayBuffer.isView(body)) return { body: Buffer.from(body.buffer, body.byteOffset, body.byteLength) };
  if (typeof body === 'object') {
    const fields = body as Record<string, unknown>;
    // As k6: an object with a file in it is a multipart form, any other an urlencoded one.
    if (Object.values(fields).some((v) => v instanceof FileData)) return multipartBody(fields);
    const values = Object.entries(fields).map(([k, v]): [string, string[]] => [
      k,
      (Array.isArray(v) ? v : [v]).map(String),
    ]);
    return { body: encodeValues(values), contentType: 'application/x-www-form-urlencoded' };
  }
  return { body: String(body) };
}

export function hasHeader(headers: string[], name: string): boolean {
  for (let i = 0; i < headers.length; i += 2) if (headers[i].toLowerCase() === name) return true;
  return false;
}
