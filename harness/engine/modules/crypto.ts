// k6/crypto on node:crypto: digests, HMAC, random bytes; output 'hex', 'base64' or 'binary' (ArrayBuffer).
import * as nodeCrypto from 'node:crypto';
import { bytesOf } from './encoding.ts';

export type Algorithm =
  'md4' | 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512' | 'sha512_224' | 'sha512_256' | 'ripemd160';
export type OutputEncoding = 'hex' | 'base64' | 'base64url' | 'base64rawurl' | 'binary';
type Data = string | ArrayBuffer | ArrayBufferView;

// k6's algorithm names → OpenSSL's.
const ALGORITHMS: Record<string, string> = {
  md4: 'md4',
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  sha512_224: 'sha512-224',
  sha512_256: 'sha512-256',
  ripemd160: 'ripemd160',
};

function algorithm(name: string, fn: string): string {
  // MD4 sits in OpenSSL 3's legacy provider, which Node does not load.
  if (name === 'md4') throw new Error(`${fn}: md4 is not available in Node's OpenSSL 3 (legacy provider); use sha256`);
  const a = ALGORITHMS[name];
  if (!a)
    throw new TypeError(
      `${fn}: unknown algorithm ${JSON.stringify(name)} (use one of ${Object.keys(ALGORITHMS).join(', ')})`,
    );
  return a;
}

function encode(digest: Buffer, encoding: OutputEncoding, fn: string): string | ArrayBuffer {
  switch (encoding) {
    case 'hex':
      return digest.toString('hex');
    case 'base64':
      return digest.toString('base64');
    case 'base64url':
      return digest.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    case 'base64rawurl':
      return digest.toString('base64url');
    case 'binary':
      return digest.buffer.slice(digest.byteOffset, digest.byteOffset + digest.byteLength) as ArrayBuffer;
    default:
      throw new TypeError(
        `${fn}: unknown output encoding ${JSON.stringify(encoding)} (use 'hex', 'base64' or 'binary')`,
      );
  }
}

/** What `createHash` and `createHMAC` return: update() then digest(encoding). */
export class Hasher {
  readonly #hash: nodeCrypto.Hash | nodeCrypto.Hmac;
  readonly #fn: string;
  constructor(hash: nodeCrypto.Hash | nodeCrypto.Hmac, fn: string) {
    this.#hash = hash;
    this.#fn = fn;
  }
  update(data: Data): void {
    this.#hash.update(bytesOf(data, `${this.#fn}.update`));
  }
  digest(encoding: OutputEncoding): string | ArrayBuffer {
    return encode(this.#hash.digest(), encoding, `${this.#fn}.digest`);
  }
}

export function createHash(algo: Algorithm): Hasher {
  return new Hasher(nodeCrypto.createHash(algorithm(algo, 'createHash')), 'createHash');
}

export function createHMAC(algo: Algorithm, secret: Data): Hasher {
  return new Hasher(nodeCrypto.createHmac(algorithm(algo, 'createHMAC'), bytesOf(secret, 'createHMAC')), 'createHMAC');
}

/** `hash(algorithm, data, outputEncoding)`. */
export function hash(algo: Algorithm, data: Data, encoding: OutputEncoding): string | ArrayBuffer {
  const h = createHash(algo);
  h.update(data);
  return h.digest(encoding);
}

/** `hmac(algorithm, secret, data, outputEncoding)`. */
export function hmac(algo: Algorithm, secret: Data, data: Data, encoding: OutputEncoding): string | ArrayBuffer {
  const h = createHMAC(algo, secret);
  h.update(data);
  return h.digest(encoding);
}

const digestOf = (algo: Algorithm) => (data: Data, encoding: OutputEncoding) => hash(algo, data, encoding);

export const md4 = digestOf('md4');
export const md5 = digestOf('md5');
export const sha1 = digestOf('sha1');
export const sha256 = digestOf('sha256');
export const sha384 = digestOf('sha384');
export const sha512 = digestOf('sha512');
export const sha512_224 = digestOf('sha512_224');
export const sha512_256 = digestOf('sha512_256');
export const ripemd160 = digestOf('ripemd160');

/** `randomBytes(n)` → ArrayBuffer of n cryptographically random bytes. */
export function randomBytes(size: number): ArrayBuffer {
  if (!Number.isInteger(size) || size < 1)
    throw new TypeError(`randomBytes: size must be a positive integer, got ${size}`);
  const b = nodeCrypto.randomBytes(size);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

export default {
  createHash,
  createHMAC,
  hash,
  hmac,
  md4,
  md5,
  sha1,
  sha256,
  sha384,
  sha512,
  sha512_224,
  sha512_256,
  ripemd160,
  randomBytes,
};
