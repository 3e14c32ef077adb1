// For benches only: a deliberate, measurable slowdown of one kind of request, so that a
// performance gate can be shown to catch a known regression. Off unless the environment
// sets CATS_NODE_SLOWDOWN_<NAME> to a fraction (0.2 = each request burns 20 % of its own
// handling time more on the CPU). Never set in a deployment.
import type { FastifyReply, FastifyRequest } from 'fastify';

const PREFIX = 'CATS_NODE_SLOWDOWN_';

/** The fraction asked for in the environment; 0 when unset. Throws on anything but a number in [0, 10]. */
export function slowdownFactor(name: string, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[`${PREFIX}${name}`];
  if (raw === undefined || raw === '') return 0;
  const factor = Number(raw);
  if (!Number.isFinite(factor) || factor < 0 || factor > 10)
    throw new Error(`${PREFIX}${name} must be a fraction between 0 and 10 (0.2 = 20 % slower), got '${raw}'`);
  return factor;
}

function burn(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/**
 * Route hooks that slow a route down by `factor`: once the reply is serialised, the event
 * loop is kept busy for `factor` × the time since the request arrived (parsing, validation,
 * handler and serialisation alike), so the whole request costs that much more, as a slower
 * revision would. No hooks when the factor is 0.
 */
export function slowdownHooks(factor: number) {
  if (factor === 0) return {};
  const arrived = new WeakMap<FastifyRequest, number>();
  return {
    onRequest: async (request: FastifyRequest) => {
      arrived.set(request, performance.now());
    },
    onSend: async (request: FastifyRequest, _reply: FastifyReply, payload: unknown) => {
      burn((performance.now() - (arrived.get(request) ?? performance.now())) * factor);
      return payload;
    },
  };
}
