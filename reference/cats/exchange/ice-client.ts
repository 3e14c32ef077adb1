// A national node's connection to ICE: sends messages and resolves once ICE
// has stored them; receives the node's messages and applies each exactly once
// (an ice_inbox row in the same transaction); reconnects with backoff and
// sends again whatever was not yet stored.
import type pg from 'pg';
import WebSocket from 'ws';
import type { IceMessage } from '../../spec/ice/catalogue.ts';
import type {
  AckFrame,
  ErrorFrame,
  FrameError,
  IceErrorCode,
  Rejected,
  ReturnedFrame,
  StoredFrame,
  WelcomeFrame,
} from '../../spec/ice/frames.ts';
import { claimInboxEntry, inboxEntry } from './inbox.ts';

interface ReceiverBase {
  /** Called once a delivery is dealt with, before its acknowledgement (for metrics and logs). */
  committed?(message: IceMessage, outcome: 'applied' | 'duplicate' | 'rejected', rejected?: Rejected): void;
}

/** `again`: a redelivery of a message rejected before (acknowledged as rejected, not counted twice). */
type Outcome = { outcome: 'applied' | 'duplicate' } | { outcome: 'rejected'; rejected: Rejected; again?: boolean };

/** The code a refusal is acknowledged with: the error's own code (C2cRefusal, Rejection), else NOT_APPLIED. */
function rejectionOf(err: unknown): Rejected {
  const code = (err as { code?: unknown } | null)?.code;
  return {
    code: typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code) ? code.slice(0, 64) : 'NOT_APPLIED',
    message: ((err as Error | null)?.message ?? String(err)).slice(0, 1024),
  };
}

/** The client keeps the inbox: `apply` runs in the transaction that records the message id in `ice_inbox`. */
export interface InboxReceiver extends ReceiverBase {
  pool: pg.Pool;
  /**
   * Applies one message inside `tx`. A database or connection failure leaves
   * the message unacknowledged, so ICE delivers it again; any other error
   * records it in the inbox as rejected (acknowledged, not applied).
   */
  apply(message: IceMessage, tx: pg.PoolClient): Promise<void>;
}

/**
 * The node keeps its own inbox: `handle` records the message id in the same
 * transaction as its change and answers 'duplicate' for an id it has seen.
 * Errors are treated as for InboxReceiver; rejections go to `ice_inbox` in `pool`.
 */
export interface SelfDeduplicatingReceiver extends ReceiverBase {
  pool: pg.Pool;
  handle(message: IceMessage): Promise<'applied' | 'duplicate'>;
}

export type IceReceiver = InboxReceiver | SelfDeduplicatingReceiver;

export interface IceClientOptions {
  url: string;
  token: string;
  receiver?: IceReceiver;
  /** Most sends awaiting ICE's stored frame at once. */
  sendWindow?: number;
  backoff?: { minMs: number; maxMs: number };
  log?: (event: Record<string, unknown>) => void;
  /** A message this node sent was rejected by its recipient (told by ICE while connected). */
  onReturned?: (frame: ReturnedFrame) => void;
}

export class IceRefusal extends Error {
  constructor(
    readonly code: IceErrorCode,
    message: string,
    readonly errors: FrameError[],
  ) {
    super(message);
  }
}

interface PendingSend {
  text: string;
  onWire: boolean;
  resolve: (r: { duplicate: boolean }) => void;
  reject: (err: Error) => void;
}

const RETRY_STORE_MS = 500;

/**
 * A failure of the node's own database or network, not of the message: leave
 * it unacknowledged so it is delivered again, rather than record it as rejected.
 * PostgreSQL classes 08 connection, 40 rollback, 53 resources, 57 intervention, 58 system.
 */
function isTransient(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && /^(08|40|53|57|58)[0-9A-Z]{3}$|^E[A-Z]+$/.test(e.code)) return true;
  return (
    typeof e.message === 'string' &&
    /Connection terminated|not queryable|timeout exceeded when trying to connect/.test(e.message)
  );
}

export class IceClient {
  private ws: WebSocket | undefined;
  private connected = false;
  private closed = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly pending = new Map<string, PendingSend>();
  private onWire = 0;
  private welcome: WelcomeFrame | undefined;
  private readonly waiters: (() => void)[] = [];
  private lastHeard = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private readonly opts: Required<Omit<IceClientOptions, 'receiver' | 'onReturned'>> &
    Pick<IceClientOptions, 'receiver' | 'onReturned'>;

  constructor(opts: IceClientOptions) {
    this.opts = {
      ...opts,
      sendWindow: opts.sendWindow ?? 256,
      backoff: opts.backoff ?? { minMs: 100, maxMs: 5000 },
      log: opts.log ?? (() => undefined),
    };
  }

  start(): void {
    this.connect();
  }

  /** Resolves when connected (again) and welcomed by ICE. */
  connectedOnce(): Promise<WelcomeFrame> {
    if (this.connected && this.welcome) return Promise.resolve(this.welcome);
    return new Promise((resolve) => this.waiters.push(() => resolve(this.welcome as WelcomeFrame)));
  }

  /** Resolves once ICE has stored the message (duplicate: it already had); rejects when ICE refuses it. */
  send(message: IceMessage): Promise<{ duplicate: boolean }> {
    if (this.closed) return Promise.reject(new Error('ICE client is closed'));
    const existing = this.pending.get(message.id);
    if (existing)
      return new Promise((resolve, reject) => {
        const { resolve: r0, reject: j0 } = existing;
        existing.resolve = (v) => (r0(v), resolve(v));
        existing.reject = (e) => (j0(e), reject(e));
      });
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { text: JSON.stringify({ type: 'send', message }), onWire: false, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.watchdog);
    for (const p of this.pending.values()) p.reject(new Error('ICE client closed before the message was stored'));
    this.pending.clear();
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close();
      setTimeout(() => (ws.terminate(), resolve()), 1000).unref();
    });
  }

  private connect(): void {
    if (this.closed) return;
    const ws = new WebSocket(this.opts.url, { headers: { authorization: `Bearer ${this.opts.token}` } });
    this.ws = ws;
    ws.on('unexpected-response', (_req, res) => {
      this.opts.log({ event: 'ice-refused-connection', status: res.statusCode });
      ws.terminate();
    });
    ws.on('error', (err) => this.opts.log({ event: 'ice-connection-error', error: err.message }));
    ws.on('message', (data) => {
      this.lastHeard = Date.now();
      this.onFrame(ws, data.toString());
    });
    ws.on('ping', () => (this.lastHeard = Date.now()));
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.connected = false;
      for (const p of this.pending.values()) p.onWire = false;
      this.onWire = 0;
      this.scheduleReconnect();
    });
  }

  /** ICE silent for three heartbeats: the connection is dead even if no close arrived. */
  private watch(ws: WebSocket, heartbeatMs: number): void {
    clearInterval(this.watchdog);
    this.watchdog = setInterval(() => {
      if (this.ws !== ws) return clearInterval(this.watchdog);
      if (Date.now() - this.lastHeard > 3 * heartbeatMs) {
        this.opts.log({ event: 'ice-heartbeat-lost' });
        ws.terminate();
      }
    }, heartbeatMs);
    this.watchdog.unref();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const { minMs, maxMs } = this.opts.backoff;
    const delay = Math.min(maxMs, minMs * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect();
    }, delay);
  }

  private pump(): void {
    const ws = this.ws;
    if (!this.connected || !ws) return;
    for (const p of this.pending.values()) {
      if (this.onWire >= this.opts.sendWindow) break;
      if (p.onWire) continue;
      p.onWire = true;
      this.onWire++;
      ws.send(p.text);
    }
  }

  private onFrame(ws: WebSocket, text: string): void {
    let frame: { type?: string };
    try {
      frame = JSON.parse(text);
    } catch {
      this.opts.log({ event: 'ice-malformed-frame' });
      return;
    }
    switch (frame.type) {
      case 'welcome':
        this.welcome = frame as WelcomeFrame;
        this.connected = true;
        this.attempt = 0;
        this.watch(ws, this.welcome.heartbeatMs);
        this.opts.log({ event: 'ice-connected', country: this.welcome.country, receiving: this.welcome.receiving });
        for (const w of this.waiters.splice(0)) w();
        this.pump();
        return;
      case 'stored': {
        const f = frame as StoredFrame;
        const p = this.pending.get(f.ref);
        if (!p) return;
        this.pending.delete(f.ref);
        if (p.onWire) this.onWire--;
        p.resolve({ duplicate: f.duplicate });
        this.pump();
        return;
      }
      case 'error':
        return this.onError(frame as ErrorFrame);
      case 'deliver':
        void this.onDeliver(ws, (frame as { message: IceMessage }).message);
        return;
      case 'returned': {
        const f = frame as ReturnedFrame;
        this.opts.log({
          event: 'ice-message-returned',
          id: f.ref,
          type: f.messageType,
          mrn: f.mrn,
          recipient: f.recipientCountry,
          code: f.rejected.code,
          message: f.rejected.message,
        });
        this.opts.onReturned?.(f);
        return;
      }
      default:
        this.opts.log({ event: 'ice-unknown-frame', type: frame.type });
    }
  }

  private onError(f: ErrorFrame): void {
    const p = f.ref ? this.pending.get(f.ref) : undefined;
    if (!p || !f.ref) {
      this.opts.log({ event: 'ice-error', code: f.code, message: f.message, ref: f.ref });
      return;
    }
    if (p.onWire) this.onWire--;
    p.onWire = false;
    if (f.code === 'STORE_UNAVAILABLE') {
      setTimeout(() => this.pump(), RETRY_STORE_MS).unref();
      return;
    }
    this.pending.delete(f.ref);
    p.reject(new IceRefusal(f.code, f.message, f.errors));
    this.pump();
  }

  private async onDeliver(ws: WebSocket, message: IceMessage): Promise<void> {
    const receiver = this.opts.receiver;
    if (!receiver) return;
    try {
      const result =
        'handle' in receiver ? await this.handleOnce(receiver, message) : await this.applyOnce(receiver, message);
      const rejected = result.outcome === 'rejected' ? result.rejected : undefined;
      const again = result.outcome === 'rejected' && result.again;
      receiver.committed?.(message, again ? 'duplicate' : result.outcome, again ? undefined : rejected);
      if (rejected && !again)
        this.opts.log({
          event: 'ice-message-rejected',
          id: message.id,
          type: message.type,
          mrn: message.mrn,
          sender: message.sender,
          code: rejected.code,
          message: rejected.message,
        });
      const ack: AckFrame = rejected ? { type: 'ack', ref: message.id, rejected } : { type: 'ack', ref: message.id };
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(ack));
    } catch (err) {
      // Not acknowledged: ICE delivers it again after its timeout or a reconnect.
      this.opts.log({ event: 'ice-apply-failed', id: message.id, error: (err as Error).message });
    }
  }

  private async handleOnce(receiver: SelfDeduplicatingReceiver, m: IceMessage): Promise<Outcome> {
    try {
      return { outcome: await receiver.handle(m) };
    } catch (err) {
      if (isTransient(err)) throw err;
      return this.recordRejection(receiver.pool, m, rejectionOf(err));
    }
  }

  /** Records a refusal; a message taken in before is acknowledged as it was then. */
  private async recordRejection(db: pg.Pool | pg.PoolClient, m: IceMessage, rejected: Rejected): Promise<Outcome> {
    if (await claimInboxEntry(db, m, 'rejected', rejected)) return { outcome: 'rejected', rejected };
    return this.earlierOutcome(db, m);
  }

  /** A redelivery: a message rejected before is acknowledged as rejected again (ICE may have lost that ack). */
  private async earlierOutcome(db: pg.Pool | pg.PoolClient, m: IceMessage): Promise<Outcome> {
    const earlier = await inboxEntry(db, m.id);
    if (earlier?.outcome !== 'rejected') return { outcome: 'duplicate' };
    return {
      outcome: 'rejected',
      rejected: { code: earlier.code ?? 'NOT_APPLIED', message: earlier.error ?? '' },
      again: true,
    };
  }

  private async applyOnce(receiver: InboxReceiver, m: IceMessage): Promise<Outcome> {
    for (let attempt = 1; ; attempt++) {
      const tx = await receiver.pool.connect();
      let broken = false;
      try {
        await tx.query('BEGIN');
        if (!(await claimInboxEntry(tx, m, 'applied'))) {
          await tx.query('COMMIT');
          return this.earlierOutcome(tx, m);
        }
        let rejection: unknown;
        try {
          await receiver.apply(m, tx);
        } catch (err) {
          if (isTransient(err)) throw err;
          rejection = err;
        }
        if (rejection === undefined) {
          await tx.query('COMMIT');
          return { outcome: 'applied' };
        }
        // Nothing of a rejected message is applied; only the rejection is recorded.
        await tx.query('ROLLBACK');
        return this.recordRejection(tx, m, rejectionOf(rejection));
      } catch (err) {
        broken = await tx.query('ROLLBACK').then(
          () => false,
          () => true,
        );
        const code = (err as { code?: string }).code;
        if ((code === '40001' || code === '40P01') && attempt < 3) continue;
        throw err;
      } finally {
        tx.release(broken);
      }
    }
  }
}
