// Registering a route of the spec's catalogue: its method, URL, schemas, roles and body limit, from one place.
import type { RouteSchema, RouteSpec } from '../spec/routes.ts';

export function routeOptions<S extends RouteSchema>(spec: RouteSpec<S>) {
  return {
    method: spec.method,
    url: spec.url,
    schema: spec.schema,
    config: { roles: spec.roles },
    ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
  } as const;
}
