// The national CATS node's HTTP server: Fastify with TypeBox schemas from
// reference/spec, one plugin per feature. Every rejection leaves through the
// error handler here as a 4xx in the one error shape.
import websocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawServerDefault,
} from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { IllegalTransitionError } from '../domain/movement.ts';
import type { ErrorCode, ErrorResponse } from '../spec/errors.ts';
import { BODY_LIMIT, type Role } from '../spec/routes.ts';
import type { NodeContext } from './context.ts';
import { authPlugin } from './auth.ts';
import { declarationsPlugin } from './declarations.ts';
import { fixturesPlugin } from './fixtures.ts';
import { guaranteesPlugin } from './guarantees.ts';
import { healthPlugin } from './health.ts';
import { metricsPlugin } from './metrics-plugin.ts';
import { movementsPlugin } from './movements.ts';
import { notificationsPlugin } from './notifications.ts';
import { operatorsPlugin } from './operators.ts';
import type { Principal } from './principal.ts';
import { Rejection } from './rejection.ts';
import { schemaErrors, type AjvError } from './schema-errors.ts';

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    roles?: readonly Role[];
  }
}

function errorBody(code: ErrorCode, message: string, errors: ErrorResponse['errors'] = []): ErrorResponse {
  return { code, message, errors };
}

const byStatus: Record<number, ErrorCode> = {
  400: 'MALFORMED_JSON',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'BODY_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

function toResponse(err: unknown, request: FastifyRequest): { status: number; body: ErrorResponse } {
  if (err instanceof Rejection) return { status: err.status, body: err.body() };
  if (err instanceof IllegalTransitionError) {
    return {
      status: 409,
      body: errorBody('ILLEGAL_TRANSITION', err.message, [
        { code: 'ILLEGAL_TRANSITION', pointer: '', message: err.message },
      ]),
    };
  }
  const e = err as {
    validation?: AjvError[];
    validationContext?: string;
    code?: string;
    statusCode?: number;
    message?: string;
  };
  if (e.validation) {
    const errors = schemaErrors(e.validation, e.validationContext ?? 'body');
    const where = e.validationContext === 'body' || !e.validationContext ? 'request body' : e.validationContext;
    return {
      status: 400,
      body: errorBody(
        'SCHEMA_VIOLATION',
        `${where} does not match the schema: ${errors[0]?.pointer || '/'} ${errors[0]?.message ?? ''}`.trim(),
        errors,
      ),
    };
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        body: errorBody(
          'BODY_TOO_LARGE',
          `request body over the limit of ${request.routeOptions.bodyLimit ?? BODY_LIMIT} bytes`,
        ),
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: errorBody('UNSUPPORTED_MEDIA_TYPE', 'send application/json') };
  }
  if (err instanceof SyntaxError || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return {
      status: 400,
      body: errorBody('MALFORMED_JSON', `request body is not valid JSON: ${e.message ?? ''}`, [
        { code: 'MALFORMED_JSON', pointer: '', message: e.message ?? 'invalid JSON' },
      ]),
    };
  }
  const status = e.statusCode;
  if (status && status >= 400 && status < 500) {
    return { status, body: errorBody(byStatus[status] ?? 'MALFORMED_JSON', e.message ?? 'bad request') };
  }
  // The database refusing connections is an outage, not a fault of the request.
  if (e.code === 'ECONNREFUSED' || e.code === '57P01' || e.code === '53300') {
    return { status: 503, body: errorBody('SERVICE_UNAVAILABLE', 'database unavailable') };
  }
  request.log.error({ err }, 'internal error');
  return { status: 500, body: errorBody('INTERNAL_ERROR', 'internal error') };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** JSON pointer of the first string (or key) that PostgreSQL cannot store, if any. */
function unstorableString(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  const bad = (s: string) => s.includes('\0') || LONE_SURROGATE.test(s);
  while (stack.length > 0) {
    const [v, pointer] = stack.pop()!;
    if (typeof v === 'string') {
      if (bad(v)) return pointer;
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, `${pointer}/${i}`]));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        const at = `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (bad(k)) return at;
        stack.push([item, at]);
      }
    }
  }
  return undefined;
}

export async function buildApp(ctx: NodeContext, opts: { logger?: boolean } = {}): Promise<App> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: BODY_LIMIT,
    forceCloseConnections: true,
    // Requests too broken to reach Fastify's router (bad framing, oversized headers) still get the one error shape.
    clientErrorHandler: (err, socket) => {
      if (!socket.writable) return void socket.destroy(err);
      const status = (err as { code?: string }).code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const body = JSON.stringify(
        errorBody('MALFORMED_JSON', `malformed HTTP request: ${(err as { code?: string }).code ?? err.message}`),
      );
      socket.end(
        `HTTP/1.1 ${status} Bad Request\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    },
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: false, useDefaults: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // JSON only; an empty body counts as none (body-less POSTs such as /release).
  app.removeContentTypeParser('text/plain');
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '') return done(null, undefined);
    jsonParser(req, body as string, (err, parsed) => {
      if (err) return done(err, undefined);
      // PostgreSQL stores neither U+0000 nor lone surrogates; refuse them here rather than fail later.
      if ((body as string).includes('\\u')) {
        const bad = unstorableString(parsed);
        if (bad !== undefined)
          return done(
            new Rejection(400, 'SCHEMA_VIOLATION', 'strings may not contain U+0000 or unpaired surrogates', [
              { code: 'SCHEMA_VIOLATION', pointer: bad, message: 'contains U+0000 or an unpaired surrogate' },
            ]),
            undefined,
          );
      }
      done(null, parsed);
    });
  });

  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && request.routeOptions.schema?.body) request.body = {};
  });
  app.addHook('onResponse', async (request, reply) => {
    // A refused WebSocket upgrade owns its socket outright: nothing else would ever close it.
    if (request.headers.upgrade && reply.statusCode >= 400) request.raw.socket?.destroy();
  });

  app.setErrorHandler((err, request, reply: FastifyReply) => {
    const { status, body } = toResponse(err, request);
    void reply.status(status).type('application/json').send(JSON.stringify(body));
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(errorBody('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
  });

  await app.register(authPlugin, { ctx });
  await app.register(metricsPlugin, { ctx });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(healthPlugin, { ctx });
  await app.register(operatorsPlugin, { ctx });
  await app.register(guaranteesPlugin, { ctx });
  await app.register(declarationsPlugin, { ctx });
  await app.register(movementsPlugin, { ctx });
  await app.register(notificationsPlugin, { ctx });
  await app.register(fixturesPlugin, { ctx });
  return app;
}
