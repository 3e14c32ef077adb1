// The OpenAPI 3.1 document of the C2B API, generated from the route catalogue
// (the schemas that validate requests). `npx tsx reference/spec/openapi.ts`
// writes it to reference/spec/openapi.json; a node serves it at /openapi.json.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { TSchema } from '@sinclair/typebox';
import { ErrorResponse } from './errors.ts';
import { BODY_LIMIT, routeList, type RouteSpec } from './routes.ts';
import { Notification } from './notifications.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const statusText: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  400: 'Malformed JSON or schema violation (pointers to each offending value)',
  401: 'Missing or unknown bearer token',
  403: 'Authenticated but not allowed (role, office, operator status)',
  404: "Not found (also another operator's resource: operators cannot probe each other's MRNs or GRNs)",
  409: 'Conflict with the current state: duplicate LRN with different content, illegal transition, guarantee insufficient',
  413: `Body over the size limit (${BODY_LIMIT} bytes unless stated)`,
  405: 'The path does not take this method; the Allow header lists those it takes',
  408: 'The request (headers and body) was not received in full within the node request timeout',
  415: 'Content type other than application/json, or a charset other than UTF-8',
  422: 'Functional errors in the content (unknown office, HS code, itinerary, guarantee…), each with a JSON pointer',
  500: 'Internal error: nothing about it is said but the requestId under which the node logged it',
  503: 'Not ready',
};

/** Plain JSON of a TypeBox schema, with every `$id` schema moved to components and referenced. */
function toJson(schema: TSchema, components: Record<string, Json>): Json {
  const walk = (node: unknown, top: boolean): Json => {
    if (Array.isArray(node)) return node.map((n) => walk(n, false));
    if (node === null || typeof node !== 'object') return node as Json;
    const obj = node as Record<string, unknown>;
    const id = typeof obj.$id === 'string' ? obj.$id : undefined;
    if (id && !top) {
      if (!(id in components)) components[id] = walk(node, true);
      return { $ref: `#/components/schemas/${id}` };
    }
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(obj)) if (k !== '$id' && v !== undefined) out[k] = walk(v, false);
    return out;
  };
  return (walk({ w: schema }, true) as { w: Json }).w;
}

function operation(route: RouteSpec, components: Record<string, Json>): Json {
  const { params, querystring, body, response = {} } = route.schema;
  const parameters: Json[] = [];
  for (const [where, schema] of [
    ['path', params],
    ['query', querystring],
  ] as const) {
    if (!schema) continue;
    const props = (schema as unknown as { properties: Record<string, TSchema>; required?: string[] }).properties;
    const required = new Set((schema as unknown as { required?: string[] }).required ?? []);
    for (const [name, s] of Object.entries(props)) {
      parameters.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        schema: toJson(s, components),
      });
    }
  }
  const responses: Record<string, Json> = {};
  for (const [status, schema] of Object.entries(response)) {
    responses[status] = {
      description: statusText[Number(status)] ?? '',
      content: { 'application/json': { schema: toJson(schema, components) } },
    };
  }
  const rejections = new Set<number>(route.rejections);
  if (body || querystring || params) rejections.add(400);
  if (body) {
    rejections.add(408);
    rejections.add(413);
    rejections.add(415);
  }
  if (!route.roles.includes('public')) {
    rejections.add(401);
    if (!route.roles.includes('operator') || route.roles.length < 3) rejections.add(403);
  }
  rejections.add(500);
  for (const status of [...rejections].sort()) {
    responses[String(status)] = { $ref: `#/components/responses/E${status}` };
  }
  const op: Record<string, Json> = {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    description: `Roles: ${route.roles.join(', ')}.${route.bodyLimit ? ` Body limit ${route.bodyLimit} bytes.` : ''}`,
    parameters,
    responses,
  };
  if (!route.roles.includes('public')) op.security = [{ bearer: [] }];
  if (body) op.requestBody = { required: true, content: { 'application/json': { schema: toJson(body, components) } } };
  return op;
}

export function openApiDocument(): Record<string, Json> {
  const components: Record<string, Json> = {};
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routeList) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, components);
  }
  paths['/v1/notifications'] = {
    get: {
      operationId: 'streamNotifications',
      tags: ['notifications'],
      security: [{ bearer: [] }],
      summary: 'WebSocket (upgrade) stream of notifications for every step of each own movement (operator)',
      description:
        'Send the bearer token in the Authorization header of the upgrade request. Each text frame is one JSON Notification.',
      parameters: [],
      responses: {
        '101': {
          description: 'Switching protocols; frames carry Notification',
          content: { 'application/json': { schema: toJson(Notification, components) } },
        },
        '401': { $ref: '#/components/responses/E401' },
        '403': { $ref: '#/components/responses/E403' },
      },
    },
  };
  paths['/metrics'] = {
    get: {
      operationId: 'metrics',
      tags: ['operations'],
      summary: 'Prometheus metrics',
      parameters: [],
      responses: { '200': { description: 'text/plain exposition format' } },
    },
  };
  paths['/openapi.json'] = {
    get: {
      operationId: 'openapi',
      tags: ['operations'],
      summary: 'This document',
      parameters: [],
      responses: { '200': { description: 'OpenAPI 3.1' } },
    },
  };
  const errorSchema = toJson(ErrorResponse, components);
  const responses: Record<string, Json> = {};
  for (const status of [400, 401, 403, 404, 405, 408, 409, 413, 415, 422, 500]) {
    responses[`E${status}`] = {
      description: statusText[status]!,
      content: { 'application/json': { schema: errorSchema } },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'CATS national node C2B API',
      version: 'spec-v0',
      description:
        'Common system specification v0 of a national CATS node: operators, guarantees, transit declarations (CTD), ' +
        'customs decisions, movement events and notifications. Every rejection is a 4xx ErrorResponse that changes nothing; ' +
        'a method a path does not take answers 405 (with Allow) on any path.',
    },
    servers: [{ url: '/' }],
    components: { schemas: components, responses, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = fileURLToPath(new URL('./openapi.json', import.meta.url));
  await writeFile(out, JSON.stringify(openApiDocument(), null, 2) + '\n');
  console.log(`wrote ${out}`);
}
