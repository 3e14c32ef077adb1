// For tests only: a deliberately broken node that acknowledges inbound C2C
// messages of the types CATS_NODE_TEST_DROP_INBOUND lists (e.g. IE001) without
// applying or recording them, as a lossy implementation would, so that a
// reconciliation can be shown to catch the loss. Never set in a deployment.

const VARIABLE = 'CATS_NODE_TEST_DROP_INBOUND';

/** Message types to drop, from the environment; empty when unset. */
export function droppedInboundTypes(env: NodeJS.ProcessEnv = process.env): ReadonlySet<string> {
  const raw = env[VARIABLE] ?? '';
  const types = raw
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  for (const t of types) if (!/^IE[0-9]{3}$/.test(t)) throw new Error(`${VARIABLE}: '${t}' is not an ICE message type`);
  return new Set(types);
}
