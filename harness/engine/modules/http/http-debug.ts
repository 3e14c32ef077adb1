// k6's `httpDebug` (lib/netext/httpext/httpdebug_transport.go): every request and response of every
// hop logged on stderr with the engine's other log lines, their bodies too with 'full'.
import type { RequestBody } from './params.ts';
import type { Target } from './url.ts';

let lastId = 0;

/** Logs a request as it goes out; returns the id its response is logged under. */
export function debugRequest(
  method: string,
  target: Target,
  headers: string[],
  body: RequestBody,
  full: boolean,
): number {
  const id = ++lastId;
  const lines = [`${method} ${target.path} HTTP/1.1`, `Host: ${target.host}`];
  for (let i = 0; i < headers.length; i += 2) lines.push(`${headers[i]}: ${headers[i + 1]}`);
  if (body !== null)
    lines.push(`Content-Length: ${typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength}`);
  log('Request', id, lines, full && body !== null ? String(body) : '');
  return id;
}

export function debugResponse(
  id: number,
  status: number,
  statusText: string,
  rawHeaders: string[] | null,
  body: Buffer | null,
  full: boolean,
): void {
  const lines = [`HTTP/1.1 ${status} ${statusText}`];
  const raw = rawHeaders ?? [];
  for (let i = 0; i < raw.length; i += 2) lines.push(`${raw[i]}: ${raw[i + 1]}`);
  log('Response', id, lines, full && body ? body.toString('utf8') : '');
}

function log(what: string, id: number, head: string[], body: string): void {
  console.error(`INFO ${what}:\n${head.join('\n')}\n\n${body}${body ? '\n' : ''}  request_id=${id}`);
}
