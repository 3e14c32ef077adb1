// The bench-only slowdown switch: off by default, refuses nonsense, and changes no result.
import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { slowdownFactor, slowdownHooks } from './bench-slowdown.ts';

describe('bench slowdown switch', () => {
  it('is off unless the environment asks for it', () => {
    expect(slowdownFactor('LODGING', {})).toBe(0);
    expect(slowdownFactor('LODGING', { CATS_NODE_SLOWDOWN_LODGING: '' })).toBe(0);
    expect(slowdownFactor('LODGING', { CATS_NODE_SLOWDOWN_LODGING: '0.2' })).toBe(0.2);
    expect(slowdownFactor('LODGING', { CATS_NODE_SLOWDOWN_OTHER: '0.2' })).toBe(0);
  });

  it('refuses a value that is not a fraction', () => {
    for (const bad of ['abc', '-0.1', '20%', '11', 'Infinity'])
      expect(() => slowdownFactor('LODGING', { CATS_NODE_SLOWDOWN_LODGING: bad })).toThrow(
        /CATS_NODE_SLOWDOWN_LODGING must be a fraction/,
      );
  });

  it('leaves a route without hooks when off, and its answers unchanged when on', async () => {
    expect(slowdownHooks(0)).toEqual({});
    const app = Fastify();
    app.post('/echo', { ...slowdownHooks(0.5) }, async (request, reply) => {
      const body = request.body as { n: number };
      if (body.n < 0) return reply.status(422).send({ code: 'NEGATIVE' });
      return reply.status(201).send({ n: body.n + 1 });
    });
    try {
      const ok = await app.inject({ method: 'POST', url: '/echo', payload: { n: 1 } });
      expect([ok.statusCode, ok.json()]).toEqual([201, { n: 2 }]);
      const refused = await app.inject({ method: 'POST', url: '/echo', payload: { n: -1 } });
      expect([refused.statusCode, refused.json()]).toEqual([422, { code: 'NEGATIVE' }]);
    } finally {
      await app.close();
    }
  });
});
