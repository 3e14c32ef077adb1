import { describe, expect, it } from 'vitest';
import crypto, { createHMAC, createHash, hmac, md5, randomBytes, sha1, sha256, sha512 } from './crypto.ts';
import encoding, { b64decode, b64encode } from './encoding.ts';

const hex = (s: string) => Buffer.from(s, 'hex');

describe('k6/encoding', () => {
  // RFC 4648 §10 vectors.
  it.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ])('b64encode(%j) is %j and decodes back', (plain, encoded) => {
    expect(b64encode(plain)).toBe(encoded);
    expect(b64encode(plain, 'rawstd')).toBe(encoded.replace(/=/g, ''));
    expect(b64decode(encoded, 'std', 's')).toBe(plain);
    expect(b64decode(encoded.replace(/=/g, ''), 'rawstd', 's')).toBe(plain);
  });

  it('uses the URL alphabet for url and rawurl', () => {
    const bytes = new Uint8Array([0xfb, 0xff, 0xfe]);
    expect(b64encode(bytes, 'std')).toBe('+//+');
    expect(b64encode(bytes, 'url')).toBe('-__-');
    expect(b64encode(new Uint8Array([0xfb, 0xff]), 'url')).toBe('-_8=');
    expect(b64encode(new Uint8Array([0xfb, 0xff]), 'rawurl')).toBe('-_8');
    expect([...new Uint8Array(b64decode('-_8', 'rawurl') as ArrayBuffer)]).toEqual([0xfb, 0xff]);
    expect(b64decode('-__-', 'url')).toBeInstanceOf(ArrayBuffer);
  });

  it('rejects input outside the chosen alphabet and unknown encodings', () => {
    expect(() => b64decode('-__-', 'std')).toThrow(/not valid 'std'/);
    expect(() => b64decode('Zg', 'std')).toThrow(/not valid/);
    expect(() => b64decode('Zg==', 'rawstd')).toThrow(/not valid/);
    expect(() => b64encode('x', 'hex' as 'std')).toThrow(/unknown encoding/);
    expect(encoding.b64encode('é')).toBe('w6k=');
  });
});

describe('k6/crypto', () => {
  it('computes digests of known vectors', () => {
    expect(md5('', 'hex')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(sha1('abc', 'hex')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(sha256('abc', 'hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256('abc', 'base64')).toBe(
      hex('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad').toString('base64'),
    );
    expect(sha512('abc', 'hex')).toMatch(/^ddaf35a193617aba/);
    expect(new Uint8Array(sha256('abc', 'binary') as ArrayBuffer)[0]).toBe(0xba);
    expect(crypto.sha384('abc', 'hex')).toMatch(/^cb00753f45a35e8b/);
  });

  // RFC 4231 test cases 1, 2 and 6.
  it('computes HMAC as RFC 4231', () => {
    const key1 = new Uint8Array(20).fill(0x0b);
    expect(hmac('sha256', key1, 'Hi There', 'hex')).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
    expect(hmac('sha512', key1, 'Hi There', 'hex')).toBe(
      '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854',
    );
    expect(hmac('sha256', 'Jefe', 'what do ya want for nothing?', 'hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    const key6 = new Uint8Array(131).fill(0xaa);
    const h = createHMAC('sha256', key6.buffer);
    h.update('Test Using Larger Than Block-Size Key - Hash Key First');
    expect(h.digest('hex')).toBe('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
  });

  it('hashes incrementally', () => {
    const h = createHash('sha256');
    h.update('a');
    h.update(new TextEncoder().encode('bc'));
    expect(h.digest('hex')).toBe(sha256('abc', 'hex'));
  });

  it('gives random bytes and rejects bad arguments clearly', () => {
    const a = new Uint8Array(randomBytes(32));
    const b = new Uint8Array(randomBytes(32));
    expect(a).toHaveLength(32);
    expect(Buffer.compare(a, b)).not.toBe(0);
    expect(() => randomBytes(0)).toThrow(/positive integer/);
    expect(() => hmac('sha3' as 'sha1', 'k', 'd', 'hex')).toThrow(/unknown algorithm/);
    expect(() => sha256('abc', 'octal' as 'hex')).toThrow(/unknown output encoding/);
    expect(() => crypto.md4('abc', 'hex')).toThrow(/md4/);
  });
});
