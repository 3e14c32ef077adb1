// k6/websockets (and its older path k6/experimental/websockets): the browser-like WebSocket on `ws`,
// with k6's events, errors and ws_* metrics (internal/js/modules/k6/websockets/websockets.go).
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import WS from 'ws';
import { builtin, type Tags } from '../metrics/metric.ts';
import { currentVu, InitContextError, registerPendingWork, vuContext, type VuState } from '../runtime/vu-context.ts';

/** The Blob that k6/websockets exports: Node's, which has the same constructor, size, type, text() and arrayBuffer(). */
export const Blob = globalThis.Blob;

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

export type BinaryType = 'blob' | 'arraybuffer';

export interface WebSocketParams {
  headers?: Record<string, string>;
  tags?: Record<string, string | number | boolean>;
  compression?: 'deflate' | '';
  jar?: unknown;
}

const PARAM_KEYS = new Set(['headers', 'tags', 'compression', 'jar']);

export interface WebSocketEvent {
  type: string;
  target: WebSocket;
  /** Epoch milliseconds, fractional, as k6 gives it. */
  timestamp: number;
  data?: string | ArrayBuffer | Blob;
  origin?: string;
  error?: string;
  code?: number;
  reason?: string;
}

type Listener = (event: WebSocketEvent) => unknown;
type EventType = 'open' | 'message' | 'error' | 'close' | 'ping' | 'pong';
const EVENT_TYPES = new Set<string>(['open', 'message', 'error', 'close', 'ping', 'pong']);

// ------------------------------------------------------------------------- sockets each VU keeps open

interface VuSockets {
  open: Set<WebSocket>;
  waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }>;
  /** The first exception a listener threw; the iteration fails with it, as in k6. */
  error: unknown;
}

const byVu = new WeakMap<VuState, VuSockets>();

function socketsOf(vu: VuState): VuSockets {
  let s = byVu.get(vu);
  if (!s) {
    byVu.set(vu, (s = { open: new Set(), waiters: [], error: undefined }));
    const sockets = s;
    vu.signal.addEventListener('abort', () => {
      for (const ws of [...sockets.open]) ws.stop();
    });
  }
  return s;
}

function settle(s: VuSockets): void {
  if (s.open.size > 0 && s.error === undefined) return;
  const waiters = s.waiters.splice(0);
  const error = s.error;
  s.error = undefined;
  for (const w of waiters) {
    if (error === undefined) w.resolve();
    else w.reject(error);
  }
}

/**
 * Resolves when every WebSocket this VU opened has closed (at once when none), or rejects with the
 * exception a socket's event listener threw: the VU's pending work, as far as WebSockets go.
 */
export function socketsClosed(vu: VuState): Promise<void> {
  const s = byVu.get(vu);
  if (!s || (s.open.size === 0 && s.error === undefined)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    s.waiters.push({ resolve, reject });
    settle(s);
  });
}

registerPendingWork((vu) => (byVu.has(vu) ? socketsClosed(vu) : undefined));

// ------------------------------------------------------------------------------------------- WebSocket

const now = (): number => performance.timeOrigin + performance.now();

export class WebSocket {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;
  readonly CONNECTING = CONNECTING;
  readonly OPEN = OPEN;
  readonly CLOSING = CLOSING;
  readonly CLOSED = CLOSED;

  readonly url: string;
  #readyState = CONNECTING;
  #protocol = '';
  #extensions = '';
  #binaryType: BinaryType = 'blob';
  #bufferedAmount = 0;
  #listeners = new Map<EventType, Listener[]>();
  #on = new Map<EventType, Listener | null>();
  readonly #vu: VuState;
  readonly #sockets: VuSockets;
  readonly #ws: WS;
  #tags: Tags;
  #started = 0;
  #opened = 0;
  #netSocket: Socket | undefined;
  #closeCode = 0;
  #closeReason = '';
  #pings = new Map<string, number>();
  #pingCounter = 0;
  #sendChain: Promise<void> | undefined;
  #stopped = false;

  constructor(url: string, protocols?: string | string[] | null, params?: WebSocketParams | null) {
    const vu = currentVu();
    if (!vu) throw new InitContextError('new WebSocket()');
    let parsed: URL;
    try {
      parsed = new URL(String(url));
    } catch {
      throw new SyntaxError(`WebSocket: invalid URL ${JSON.stringify(url)}`);
    }
    if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:')
      throw new SyntaxError(
        `WebSocket: the URL's scheme must be ws or wss, got ${JSON.stringify(parsed.protocol.slice(0, -1))}`,
      );
    if (parsed.hash) throw new SyntaxError('WebSocket: the URL must not contain a fragment');
    for (const key of Object.keys(params ?? {}))
      if (!PARAM_KEYS.has(key))
        throw new TypeError(
          `WebSocket: unknown param ${JSON.stringify(key)} (allowed: headers, tags, compression, jar)`,
        );
    const compression = params?.compression ?? '';
    if (compression !== '' && compression !== 'deflate')
      throw new TypeError(`WebSocket: unsupported compression ${JSON.stringify(compression)} (only 'deflate')`);

    this.url = parsed.href;
    this.#vu = vu;
    this.#sockets = socketsOf(vu);
    const tags: Tags = { ...vu.tags };
    for (const [k, v] of Object.entries(params?.tags ?? {})) tags[k] = String(v);
    if (tags.name === undefined) tags.name = this.url;
    tags.url = tags.name;
    this.#tags = tags;

    const list =
      protocols === undefined || protocols === null ? [] : Array.isArray(protocols) ? protocols : [protocols];
    this.#started = now();
    this.#ws = new WS(this.url, list, {
      headers: params?.headers,
      perMessageDeflate: compression === 'deflate',
      handshakeTimeout: 60_000,
    });
    this.#ws.binaryType = 'nodebuffer';
    this.#sockets.open.add(this);
    this.#wire();
  }

  get readyState(): number {
    return this.#readyState;
  }
  get protocol(): string {
    return this.#protocol;
  }
  get extensions(): string {
    return this.#extensions;
  }
  get bufferedAmount(): number {
    return this.#bufferedAmount;
  }
  get binaryType(): BinaryType {
    return this.#binaryType;
  }
  set binaryType(value: BinaryType) {
    if (value !== 'blob' && value !== 'arraybuffer')
      throw new TypeError(`unknown binaryType ${value}, the supported ones are "blob" and "arraybuffer"`);
    this.#binaryType = value;
  }

  get onopen(): Listener | null {
    return this.#on.get('open') ?? null;
  }
  set onopen(fn: Listener | null) {
    this.#setOn('open', fn);
  }
  get onmessage(): Listener | null {
    return this.#on.get('message') ?? null;
  }
  set onmessage(fn: Listener | null) {
    this.#setOn('message', fn);
  }
  get onerror(): Listener | null {
    return this.#on.get('error') ?? null;
  }
  set onerror(fn: Listener | null) {
    this.#setOn('error', fn);
  }
  get onclose(): Listener | null {
    return this.#on.get('close') ?? null;
  }
  set onclose(fn: Listener | null) {
    this.#setOn('close', fn);
  }
  get onping(): Listener | null {
    return this.#on.get('ping') ?? null;
  }
  set onping(fn: Listener | null) {
    this.#setOn('ping', fn);
  }
  get onpong(): Listener | null {
    return this.#on.get('pong') ?? null;
  }
  set onpong(fn: Listener | null) {
    this.#setOn('pong', fn);
  }

  addEventListener(type: string, listener: Listener): void {
    if (typeof listener !== 'function')
      throw new TypeError(`handler for event type ${JSON.stringify(type)} isn't a callable function`);
    if (!EVENT_TYPES.has(type)) throw new TypeError(`unknown WebSocket event type ${JSON.stringify(type)}`);
    const list = this.#listeners.get(type as EventType) ?? [];
    list.push(listener);
    this.#listeners.set(type as EventType, list);
  }

  send(data: string | ArrayBuffer | ArrayBufferView | Blob): void {
    this.#assertOpen();
    if (typeof data === 'string') return this.#write(data, false);
    if (data instanceof ArrayBuffer) return this.#write(Buffer.from(data), true);
    if (ArrayBuffer.isView(data)) return this.#write(Buffer.from(data.buffer, data.byteOffset, data.byteLength), true);
    if (data instanceof Blob) {
      // A Blob's bytes are only available asynchronously; later sends wait so the order holds.
      this.#bufferedAmount += data.size;
      const previous = this.#sendChain ?? Promise.resolve();
      const chain = previous
        .then(() => data.arrayBuffer())
        .then((ab) => {
          this.#bufferedAmount -= data.size;
          if (this.#readyState === OPEN) this.#write(Buffer.from(ab), true);
        });
      this.#sendChain = chain;
      void chain.finally(() => {
        if (this.#sendChain === chain) this.#sendChain = undefined;
      });
      return;
    }
    throw new TypeError(`unsupported send type ${Object.prototype.toString.call(data)}`);
  }

  ping(): void {
    this.#assertOpen();
    const id = String(this.#pingCounter++);
    this.#pings.set(id, now());
    this.#ws.ping(id);
  }

  close(code?: number, reason?: string): void {
    if (this.#readyState === CLOSED || this.#readyState === CLOSING) return;
    if (code !== undefined && code !== 0 && !(code === 1000 || (code >= 3000 && code <= 4999)))
      throw new Error(
        `InvalidAccessError: Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. ${code} is neither`,
      );
    if (reason !== undefined && Buffer.byteLength(reason) > 123)
      throw new Error(
        "SyntaxError: Failed to execute 'close' on 'WebSocket': The message must not be greater than 123 bytes",
      );
    const c = code || 1000;
    this.#closeCode = c;
    if (this.#readyState === CONNECTING) {
      this.#readyState = CLOSING;
      this.#ws.terminate();
      return;
    }
    this.#readyState = CLOSING;
    const send = () => this.#ws.close(c, reason ?? '');
    if (this.#sendChain) void this.#sendChain.then(send, send);
    else send();
  }

  /** @internal The VU is stopping: close without delivering further events. */
  stop(): void {
    this.#stopped = true;
    if (this.#readyState === OPEN) this.#ws.close(1000, '');
    else if (this.#readyState === CONNECTING) this.#ws.terminate();
    this.#finish();
  }

  #setOn(type: EventType, fn: Listener | null): void {
    if (fn !== null && fn !== undefined && typeof fn !== 'function')
      throw new TypeError(`a value for 'on${type}' should be callable`);
    this.#on.set(type, fn ?? null);
  }

  #assertOpen(): void {
    if (this.#readyState !== OPEN) throw new Error('InvalidStateError');
  }

  #write(data: string | Buffer, binary: boolean): void {
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    this.#bufferedAmount += size;
    this.#ws.send(data, { binary }, (err) => {
      this.#bufferedAmount -= size;
      if (err) return;
      if (!this.#stopped) this.#vu.sink.add(builtin.ws_msgs_sent, 1, this.#tags);
    });
  }

  #event(type: EventType, extra?: Partial<WebSocketEvent>): WebSocketEvent {
    return { type, target: this, timestamp: now(), ...extra };
  }

  #dispatch(type: EventType, event: WebSocketEvent): boolean {
    if (this.#stopped) return true;
    const handlers: Listener[] = [];
    const on = this.#on.get(type);
    if (on) handlers.push(on);
    const list = this.#listeners.get(type);
    if (list) handlers.push(...list);
    for (const h of handlers) {
      try {
        vuContext.run(this.#vu, () => h.call(this, event));
      } catch (err) {
        // As in k6: an exception in a handler closes the socket and fails the iteration.
        if (this.#sockets.error === undefined) this.#sockets.error = err;
        this.#ws.terminate();
        this.#finish();
        return false;
      }
    }
    return true;
  }

  // k6 tags the session with the handshake's status, and none when no response came.
  #connected(status: number | undefined): void {
    const tags: Tags = { ...this.#tags };
    if (status !== undefined) tags.status = String(status);
    if (status === 101) tags.subproto = this.#protocol;
    this.#tags = Object.freeze(tags) as Tags;
    const sink = this.#vu.sink;
    sink.add(builtin.ws_sessions, 1, this.#tags);
    sink.add(builtin.ws_connecting, now() - this.#started, this.#tags);
  }

  #wire(): void {
    const ws = this.#ws;
    ws.on('upgrade', (res: IncomingMessage) => {
      this.#netSocket = res.socket as Socket;
    });
    ws.on('unexpected-response', (_req, res: IncomingMessage) => {
      this.#connected(res.statusCode);
      this.#netSocket = res.socket as Socket;
      res.resume();
      this.#failed(new Error(`websocket: bad handshake (status ${res.statusCode})`));
      ws.terminate();
    });
    ws.on('open', () => {
      this.#protocol = ws.protocol;
      this.#extensions = ws.extensions;
      this.#connected(101);
      this.#opened = now();
      if (this.#readyState !== CONNECTING) return;
      this.#readyState = OPEN;
      this.#dispatch('open', this.#event('open'));
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (this.#readyState !== OPEN) return;
      if (!this.#stopped) this.#vu.sink.add(builtin.ws_msgs_received, 1, this.#tags);
      let payload: string | ArrayBuffer | Blob;
      if (!isBinary) payload = data.toString('utf8');
      else {
        const ab = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
        payload = this.#binaryType === 'arraybuffer' ? ab : new Blob([ab]);
      }
      this.#dispatch('message', this.#event('message', { data: payload, origin: this.url }));
    });
    ws.on('ping', () => {
      this.#dispatch('ping', this.#event('ping'));
    });
    ws.on('pong', (data: Buffer) => {
      const sent = this.#pings.get(data.toString());
      if (sent === undefined) return;
      this.#pings.delete(data.toString());
      if (!this.#stopped) this.#vu.sink.add(builtin.ws_ping, now() - sent, this.#tags);
      this.#dispatch('pong', this.#event('pong'));
    });
    ws.on('error', (err: Error) => {
      if (this.#opened === 0 && !Object.isFrozen(this.#tags)) this.#connected(undefined);
      this.#failed(err);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      if (code && code !== 1005) this.#closeCode = code;
      this.#closeReason = reason.toString();
      this.#closed(
        code === 1000 || code === 1001 || code === 1005
          ? undefined
          : new Error(`websocket: close ${code} ${this.#closeReason}`.trim()),
      );
    });
  }

  #failed(err: Error): void {
    if (this.#readyState === CLOSED) return;
    this.#dispatch('error', this.#event('error', { error: err.message }));
  }

  #closed(err: Error | undefined): void {
    if (this.#readyState === CLOSED) return;
    if (err && this.#opened !== 0) this.#dispatch('error', this.#event('error', { error: err.message }));
    this.#finish();
    const extra: Partial<WebSocketEvent> = { reason: this.#closeReason };
    if (this.#closeCode) extra.code = this.#closeCode;
    this.#dispatch('close', this.#event('close', extra));
    settle(this.#sockets);
  }

  // Metrics of the ended session; the socket no longer keeps the iteration alive.
  #finish(): void {
    if (this.#readyState === CLOSED) return;
    this.#readyState = CLOSED;
    const vu = this.#vu;
    if (!this.#stopped) {
      if (this.#opened !== 0) vu.sink.add(builtin.ws_session_duration, now() - this.#started, this.#tags);
      const socket = this.#netSocket;
      if (socket) {
        vu.sink.add(builtin.data_sent, socket.bytesWritten, vu.tags);
        vu.sink.add(builtin.data_received, socket.bytesRead, vu.tags);
      }
    }
    this.#sockets.open.delete(this);
    if (!this.#stopped) queueMicrotask(() => settle(this.#sockets));
    else settle(this.#sockets);
  }
}

export default { WebSocket, Blob };
