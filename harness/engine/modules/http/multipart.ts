// k6's http.file() and the multipart/form-data body it makes of an object with a file in it
// (js/modules/k6/http/file.go, request.go: Go's mime/multipart writer).
import { randomBytes } from 'node:crypto';

/** What http.file() returns: the bytes of a file part with its name and type. */
export class FileData {
  constructor(
    readonly data: Uint8Array,
    readonly filename: string,
    readonly content_type: string,
  ) {}
}

/** http.file(data, filename?, contentType?): a string is sent as its UTF-8 bytes. */
export function file(data: unknown, filename?: unknown, contentType?: unknown): FileData {
  let bytes: Uint8Array;
  if (typeof data === 'string') bytes = Buffer.from(data);
  else if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
  else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  else throw new TypeError('http.file(): data must be a string, an ArrayBuffer or a typed array');
  return new FileData(
    bytes,
    filename === undefined ? String(process.hrtime.bigint()) : String(filename),
    contentType === undefined ? 'application/octet-stream' : String(contentType),
  );
}

const escapeQuotes = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/** The multipart body of `fields`, as Go's writer lays it out, and its Content-Type. */
export function multipartBody(fields: Record<string, unknown>): { body: Buffer; contentType: string } {
  const boundary = randomBytes(30).toString('hex');
  const parts: Buffer[] = [];
  let first = true;
  for (const [name, value] of Object.entries(fields)) {
    const head = [`${first ? '' : '\r\n'}--${boundary}`];
    first = false;
    if (value instanceof FileData) {
      head.push(
        `Content-Disposition: form-data; name="${escapeQuotes(name)}"; filename="${escapeQuotes(value.filename)}"`,
      );
      head.push(`Content-Type: ${value.content_type}`);
    } else head.push(`Content-Disposition: form-data; name="${escapeQuotes(name)}"`);
    parts.push(Buffer.from(head.join('\r\n') + '\r\n\r\n'));
    parts.push(value instanceof FileData ? Buffer.from(value.data) : Buffer.from(String(value)));
  }
  parts.push(Buffer.from(`${first ? '' : '\r\n'}--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
