// The operator's WebSocket stream: one JSON text frame per step of each of its movements.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { NodeContext } from './context.ts';
import { Rejection } from './rejection.ts';

/** A client that stops reading is cut off rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export const notificationsPlugin: FastifyPluginAsyncTypebox<{ ctx: NodeContext }> = async (app, { ctx }) => {
  app.get('/v1/notifications', { websocket: true, config: { roles: ['operator'] } }, (socket, request) => {
    const p = request.principal;
    if (p?.role !== 'operator') {
      socket.close(1008, 'operators only');
      return;
    }
    const unsubscribe = ctx.notifier.subscribe(p.operator.tin, (n) => {
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        socket.close(1013, 'client too slow');
        return;
      }
      socket.send(JSON.stringify(n));
    });
    socket.on('close', unsubscribe);
    socket.on('error', unsubscribe);
  });

  // A plain GET without an upgrade is a client mistake, not a server fault.
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.url === '/v1/notifications' && request.headers.upgrade?.toLowerCase() !== 'websocket') {
      throw new Rejection(400, 'BAD_REQUEST', 'this route is a WebSocket: send an upgrade request');
    }
  });
};
