// k6/encoding: base64 in k6's four alphabets (std, rawstd, url, rawurl), as in Go's encoding/base64.

export type Base64Encoding = 'std' | 'rawstd' | 'url' | 'rawurl';

const ENCODINGS = new Set<string>(['std', 'rawstd', 'url', 'rawurl']);

function checkEncoding(encoding: string | undefined, fn: string): Base64Encoding {
  const e = encoding === undefined || encoding === '' ? 'std' : encoding;
  if (!ENCODINGS.has(e))
    throw new TypeError(`${fn}: unknown encoding ${JSON.stringify(encoding)} (use 'std', 'rawstd', 'url' or 'rawurl')`);
  return e as Base64Encoding;
}

export function bytesOf(input: string | ArrayBuffer | ArrayBufferView, fn: string): Buffer {
  if (typeof input === 'string') return Buffer.from(input, 'utf8');
  if (input instanceof ArrayBuffer) return Buffer.from(input);
  if (ArrayBuffer.isView(input)) return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  throw new TypeError(`${fn}: input must be a string, an ArrayBuffer or a typed array`);
}

/** `b64encode(input, encoding = 'std')`. */
export function b64encode(input: string | ArrayBuffer | ArrayBufferView, encoding?: Base64Encoding): string {
  const e = checkEncoding(encoding, 'b64encode');
  const bytes = bytesOf(input, 'b64encode');
  switch (e) {
    case 'std':
      return bytes.toString('base64');
    case 'rawstd':
      return bytes.toString('base64').replace(/=+$/, '');
    case 'url':
      return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    case 'rawurl':
      return bytes.toString('base64url');
  }
}

const ALPHABET = {
  std: /^[A-Za-z0-9+/]*={0,2}$/,
  rawstd: /^[A-Za-z0-9+/]*$/,
  url: /^[A-Za-z0-9\-_]*={0,2}$/,
  rawurl: /^[A-Za-z0-9\-_]*$/,
};

/**
 * `b64decode(input, encoding = 'std', format?)`: an ArrayBuffer, or a string when format is 's'.
 * Input that is not valid in the chosen alphabet throws, as Go's decoder does.
 */
export function b64decode(input: string, encoding?: Base64Encoding, format?: 's'): ArrayBuffer | string {
  const e = checkEncoding(encoding, 'b64decode');
  if (typeof input !== 'string') throw new TypeError('b64decode: input must be a string');
  const padded = e === 'std' || e === 'url';
  const valid = ALPHABET[e].test(input) && (padded ? input.length % 4 === 0 : input.length % 4 !== 1);
  if (!valid) throw new Error(`b64decode: input is not valid '${e}' base64`);
  const bytes = Buffer.from(input, e === 'url' || e === 'rawurl' ? 'base64url' : 'base64');
  if (format === 's') return bytes.toString('utf8');
  if (format !== undefined)
    throw new TypeError(`b64decode: unknown format ${JSON.stringify(format)} (use 's' or leave it out)`);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export default { b64encode, b64decode };
