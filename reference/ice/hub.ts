// The exchange: node connections, store-before-ack of incoming messages, and
// delivery per recipient country with a bounded window, per-movement order,
// acknowledgement timeouts and redelivery.
import type { WebSocket, RawData } from 'ws';
import { isValidMrn } from '../domain/mrn.ts';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { officeByReference } from '../spec/reference-data/offices.ts';
import { senderProblems, type IceMessage } from '../spec/ice/catalogue.ts';
import {
  AckFrame,
  type ErrorFrame,
  type FrameError,
  type IceErrorCode,
  type Rejected,
  type ReturnedFrame,
  type WelcomeFrame,
} from '../spec/ice/frames.ts';
import { MessageId } from '../spec/ice/envelope.ts';
import { validateIceMessage } from '../spec/ice/validate.ts';
import type { NodeCredentials } from './credentials.ts';
import type { IceMetrics } from './metrics.ts';
import type { Acknowledgement, IceStore, PendingMessage } from './store.ts';

export interface HubOptions {
  /** Most unacknowledged deliveries per receiving connection. */
  window: number;
  ackTimeoutMs: number;
  /** Rows read from the store per query when filling a window. */
  pageSize: number;
  /** Most messages stored in one statement. */
  maxBatch: number;
  /** Unstored sends per connection above which ICE stops reading it. */
  maxUnstoredPerConnection: number;
  /** Ping interval; a connection that has not answered the previous ping is closed. */
  heartbeatMs: number;
  log: (event: Record<string, unknown>) => void;
}

interface InFlight {
  mrn: string;
  type: string;
  senderCountry: string;
  json: string;
  storedAtMs: number;
  deadline: number;
}

/**
 * Delivery to one receiving connection: rows up to `cursor` are in flight,
 * acknowledged, or held in `blocked` behind an earlier message of their movement
 * (at most 4 × window of them, so memory stays bounded whatever the queue).
 */
interface Lane {
  session: Session;
  cursor: string;
  blocked: Map<string, PendingMessage[]>;
  blockedCount: number;
  running: boolean;
  again: boolean;
}

class Session {
  readonly inflight = new Map<string, InFlight>();
  unstored = 0;
  answered = true;
  constructor(
    readonly ws: WebSocket,
    readonly country: string,
  ) {}
  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }
  send(text: string): void {
    if (this.open) this.ws.send(text);
  }
}

const ackFrame = TypeCompiler.Compile(AckFrame);
const messageIdPattern = new RegExp(MessageId.pattern as string);

export class Hub {
  /** Per country, its open connections; the first one receives. */
  private readonly sessions = new Map<string, Session[]>();
  /** Per country, the delivery state of its receiving connection. */
  private readonly lanes = new Map<string, Lane>();
  /** Per country, ids delivered on a connection that closed before acknowledging them. */
  private readonly sentBefore = new Map<string, Set<string>>();
  /**
   * Acknowledged ids not to be sent again: kept until their delivered mark is
   * committed and every store read that began before that commit is processed
   * (such a read may still return them as pending).
   */
  private readonly acking = new Set<string>();
  private readsStarted = 0;
  private readonly activeReads = new Set<number>();
  private retiring: { tag: number; ids: string[] }[] = [];
  private ackQueue: Acknowledgement[] = [];
  private ackFlushing = false;
  private storeQueue: { session: Session; message: IceMessage }[] = [];
  private storing = false;
  private readonly timer: NodeJS.Timeout;
  private ticks = 0;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly store: IceStore,
    private readonly metrics: IceMetrics,
    private readonly credentials: NodeCredentials,
    private readonly opts: HubOptions,
  ) {
    this.timer = setInterval(() => this.tick(), Math.max(50, Math.min(500, opts.ackTimeoutMs / 4)));
    // A node that vanished without closing its connection would otherwise keep receiving.
    this.heartbeat = setInterval(() => {
      for (const list of this.sessions.values()) {
        for (const session of list) {
          if (!session.answered) {
            this.opts.log({ event: 'heartbeat-lost', country: session.country });
            session.ws.terminate();
            continue;
          }
          session.answered = false;
          if (session.open) session.ws.ping();
        }
      }
    }, opts.heartbeatMs);
  }

  attach(ws: WebSocket, country: string): void {
    const session = new Session(ws, country);
    const list = this.sessions.get(country) ?? [];
    list.push(session);
    this.sessions.set(country, list);
    this.metrics.connections.inc({ country });
    const welcome: WelcomeFrame = {
      type: 'welcome',
      country,
      window: this.opts.window,
      ackTimeoutMs: this.opts.ackTimeoutMs,
      heartbeatMs: this.opts.heartbeatMs,
      receiving: list[0] === session,
    };
    session.send(JSON.stringify(welcome));
    ws.on('message', (data, isBinary) => this.onFrame(session, data, isBinary));
    ws.on('close', () => this.detach(session));
    ws.on('error', () => undefined);
    ws.on('pong', () => (session.answered = true));
    this.opts.log({ event: 'connected', country, receiving: welcome.receiving });
    if (welcome.receiving) this.startLane(session);
  }

  /** Open connections of a country. */
  connectionCount(country: string): number {
    return this.sessions.get(country)?.length ?? 0;
  }

  stop(): void {
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
  }

  /** Delivery starts over for a new receiving connection, from the oldest undelivered message. */
  private startLane(session: Session): void {
    this.lanes.set(session.country, {
      session,
      cursor: '0',
      blocked: new Map(),
      blockedCount: 0,
      running: false,
      again: false,
    });
    void this.fill(session.country);
  }

  private detach(session: Session): void {
    const list = this.sessions.get(session.country) ?? [];
    const wasReceiver = list[0] === session;
    const i = list.indexOf(session);
    if (i >= 0) list.splice(i, 1);
    this.metrics.connections.dec({ country: session.country });
    this.opts.log({ event: 'disconnected', country: session.country, unacknowledged: session.inflight.size });
    if (!wasReceiver) return;
    const before = this.sentBefore.get(session.country) ?? new Set<string>();
    this.sentBefore.set(session.country, before);
    for (const id of session.inflight.keys()) before.add(id);
    this.metrics.inFlight.dec({ recipient_country: session.country }, session.inflight.size);
    session.inflight.clear();
    this.lanes.delete(session.country);
    if (list.length > 0) this.startLane(list[0]);
  }

  private refuse(
    session: Session,
    code: IceErrorCode,
    message: string,
    errors: FrameError[],
    ref: string | null,
  ): void {
    this.metrics.refused.inc({ code });
    const frame: ErrorFrame = { type: 'error', code, message, errors, ref };
    session.send(JSON.stringify(frame));
  }

  private onFrame(session: Session, data: RawData, isBinary: boolean): void {
    // Frames over the size limit never get here: the WebSocket server closes their connection (1009).
    const text = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (isBinary) return this.refuse(session, 'UNKNOWN_FRAME', 'frames are JSON text', [], null);
    let frame: unknown;
    try {
      frame = JSON.parse(text.toString('utf8'));
    } catch (err) {
      return this.refuse(session, 'MALFORMED_JSON', `not JSON: ${(err as Error).message}`, [], null);
    }
    const kind = (frame as { type?: unknown } | null)?.type;
    if (kind === 'ack') {
      if (!ackFrame.Check(frame)) {
        const errors = [...ackFrame.Errors(frame)].map((e) => ({
          code: 'SCHEMA_VIOLATION' as const,
          pointer: e.path,
          message: e.message,
        }));
        return this.refuse(session, 'SCHEMA_VIOLATION', 'ack needs the ref of a delivered message', errors, null);
      }
      return this.onAck(session, frame.ref, frame.rejected);
    }
    if (kind === 'send') return this.onSend(session, (frame as { message?: unknown }).message);
    this.refuse(
      session,
      'UNKNOWN_FRAME',
      "frame type must be 'send' or 'ack'",
      [{ code: 'UNKNOWN_FRAME', pointer: '/type', message: "expected 'send' or 'ack'" }],
      null,
    );
  }

  private onSend(session: Session, value: unknown): void {
    const rawId = (value as { id?: unknown } | null)?.id;
    const ref = typeof rawId === 'string' && messageIdPattern.test(rawId) ? rawId : null;
    const result = validateIceMessage(value, '/message');
    if ('errors' in result)
      return this.refuse(session, 'SCHEMA_VIOLATION', 'message does not match its schema', result.errors, ref);
    const m = result.message;
    if (m.sender.country !== session.country) {
      this.opts.log({
        event: 'forged-sender',
        connection: session.country,
        claimed: m.sender.country,
        id: m.id,
        type: m.type,
      });
      return this.refuse(
        session,
        'FORGED_SENDER',
        `this connection speaks for ${session.country}, not ${m.sender.country}`,
        [{ code: 'FORGED_SENDER', pointer: '/message/sender/country', message: `must be ${session.country}` }],
        ref,
      );
    }
    const errors: FrameError[] = [];
    for (const side of ['sender', 'recipient'] as const) {
      const office = officeByReference.get(m[side].office);
      if (office?.country !== m[side].country) {
        errors.push({
          code: 'UNKNOWN_OFFICE',
          pointer: `/message/${side}/office`,
          message: `no office ${m[side].office} in ${m[side].country}`,
        });
      }
    }
    if (errors.length > 0) return this.refuse(session, 'UNKNOWN_OFFICE', 'unknown office', errors, ref);
    if (!isValidMrn(m.mrn)) {
      return this.refuse(
        session,
        'INVALID_MRN',
        `MRN ${m.mrn} fails its check digit`,
        [{ code: 'INVALID_MRN', pointer: '/message/mrn', message: 'check digit does not match' }],
        ref,
      );
    }
    const problems = senderProblems(m);
    if (problems.length > 0) {
      this.opts.log({ event: 'sender-refused', country: session.country, id: m.id, type: m.type, problems });
      return this.refuse(session, problems[0].code, problems[0].message, problems, ref);
    }
    if (!this.credentials.countries.includes(m.recipient.country)) {
      return this.refuse(
        session,
        'UNKNOWN_RECIPIENT',
        `no node is registered for ${m.recipient.country}`,
        [
          {
            code: 'UNKNOWN_RECIPIENT',
            pointer: '/message/recipient/country',
            message: 'not a country of this exchange',
          },
        ],
        ref,
      );
    }
    session.unstored++;
    if (session.unstored >= this.opts.maxUnstoredPerConnection && !session.ws.isPaused) session.ws.pause();
    this.storeQueue.push({ session, message: m });
    void this.flushStore();
  }

  /** Group commit: everything received while one insert runs goes into the next one. */
  private async flushStore(): Promise<void> {
    if (this.storing) return;
    this.storing = true;
    try {
      while (this.storeQueue.length > 0) {
        const batch = this.storeQueue.splice(0, this.opts.maxBatch);
        let outcomes: Awaited<ReturnType<IceStore['insert']>> | undefined;
        try {
          outcomes = await this.store.insert(batch.map((b) => b.message));
        } catch (err) {
          this.opts.log({ event: 'store-failed', error: (err as Error).message, messages: batch.length });
        }
        const recipients = new Set<string>();
        batch.forEach(({ session, message }, i) => {
          const outcome = outcomes?.[i];
          if (outcome === undefined) {
            this.refuse(session, 'STORE_UNAVAILABLE', 'not stored; send again later', [], message.id);
          } else if (outcome === 'conflict') {
            this.refuse(
              session,
              'CONFLICT',
              `message ${message.id} was already stored with other content`,
              [{ code: 'CONFLICT', pointer: '/message/id', message: 'id reused for a different message' }],
              message.id,
            );
          } else {
            session.send(`{"type":"stored","ref":"${message.id}","duplicate":${outcome === 'duplicate'}}`);
            if (outcome === 'stored') {
              recipients.add(message.recipient.country);
              this.metrics.stored.inc({
                sender_country: message.sender.country,
                recipient_country: message.recipient.country,
                type: message.type,
              });
            } else {
              this.metrics.duplicates.inc({ sender_country: message.sender.country });
            }
          }
          session.unstored--;
          if (session.ws.isPaused && session.unstored <= this.opts.maxUnstoredPerConnection / 2) session.ws.resume();
        });
        for (const c of recipients) void this.fill(c);
      }
    } finally {
      this.storing = false;
    }
  }

  /** Tops up the receiver's window, one message in flight per movement. */
  private async fill(country: string): Promise<void> {
    const lane = this.lanes.get(country);
    if (!lane) return;
    if (lane.running) {
      lane.again = true;
      return;
    }
    lane.running = true;
    try {
      do {
        lane.again = false;
        await this.fillOnce(country, lane);
      } while (lane.again && this.lanes.get(country) === lane);
    } catch (err) {
      this.opts.log({ event: 'delivery-read-failed', country, error: (err as Error).message });
    } finally {
      lane.running = false;
    }
  }

  private async fillOnce(country: string, lane: Lane): Promise<void> {
    const session = lane.session;
    const busy = new Set<string>();
    for (const e of session.inflight.values()) busy.add(e.mrn);
    const full = () => session.inflight.size >= this.opts.window;
    // First the messages held back behind an earlier one of their movement.
    for (const [mrn, rows] of lane.blocked) {
      if (full()) return;
      if (busy.has(mrn)) continue;
      const row = rows.shift() as PendingMessage;
      if (rows.length === 0) lane.blocked.delete(mrn);
      lane.blockedCount--;
      busy.add(mrn);
      this.deliver(session, row);
    }
    // Then new rows after the cursor, read from the store a page at a time.
    while (!full() && lane.blockedCount < this.opts.window * 4) {
      const read = ++this.readsStarted;
      this.activeReads.add(read);
      try {
        const rows = await this.store.pending(country, lane.cursor, this.opts.pageSize);
        if (this.lanes.get(country) !== lane || !session.open) return;
        for (const row of rows) {
          if (full() || lane.blockedCount >= this.opts.window * 4) return;
          lane.cursor = row.seq;
          if (session.inflight.has(row.id) || this.acking.has(row.id)) continue;
          const held = lane.blocked.get(row.mrn);
          if (held || busy.has(row.mrn)) {
            // A later message of a movement waits until the earlier one is acknowledged.
            if (held) held.push(row);
            else lane.blocked.set(row.mrn, [row]);
            lane.blockedCount++;
            continue;
          }
          busy.add(row.mrn);
          this.deliver(session, row);
        }
        if (rows.length < this.opts.pageSize) return;
      } finally {
        this.activeReads.delete(read);
        this.retire();
      }
    }
  }

  /** Forgets acknowledged ids once no read that could still see them as pending is outstanding. */
  private retire(): void {
    const oldest = this.activeReads.size > 0 ? Math.min(...this.activeReads) : Infinity;
    while (this.retiring.length > 0 && this.retiring[0].tag < oldest) {
      for (const id of (this.retiring.shift() as { ids: string[] }).ids) this.acking.delete(id);
    }
  }

  private deliver(session: Session, row: PendingMessage): void {
    const before = this.sentBefore.get(session.country);
    const redelivery = before?.has(row.id) ?? false;
    session.inflight.set(row.id, {
      mrn: row.mrn,
      type: row.type,
      senderCountry: row.senderCountry,
      json: row.json,
      storedAtMs: row.storedAtMs,
      deadline: Date.now() + this.opts.ackTimeoutMs,
    });
    this.metrics.inFlight.inc({ recipient_country: session.country });
    if (redelivery) this.metrics.redeliveries.inc({ recipient_country: session.country });
    session.send(`{"type":"deliver","redelivery":${redelivery},"message":${row.json}}`);
  }

  private onAck(session: Session, ref: string, rejected?: Rejected): void {
    const entry = session.inflight.get(ref);
    if (!entry) return; // late or repeated acknowledgement: already handled
    session.inflight.delete(ref);
    const country = session.country;
    if (rejected) this.returnToSender(country, ref, entry, rejected);
    this.metrics.inFlight.dec({ recipient_country: country });
    this.metrics.deliveries.inc({ recipient_country: country });
    this.metrics.latency.observe({ recipient_country: country }, Math.max(0, Date.now() - entry.storedAtMs) / 1000);
    this.sentBefore.get(country)?.delete(ref);
    this.acking.add(ref);
    this.ackQueue.push(rejected ? { id: ref, rejected } : { id: ref });
    void this.flushAcks();
    void this.fill(country);
  }

  /** The recipient refused the message: logged with its sender, counted, and told to the sender if connected. */
  private returnToSender(recipient: string, ref: string, entry: InFlight, rejected: Rejected): void {
    this.metrics.rejected.inc({
      type: entry.type,
      code: rejected.code,
      sender_country: entry.senderCountry,
      recipient_country: recipient,
    });
    this.opts.log({
      event: 'message-rejected',
      id: ref,
      type: entry.type,
      mrn: entry.mrn,
      sender: entry.senderCountry,
      recipient,
      code: rejected.code,
      message: rejected.message,
    });
    const frame: ReturnedFrame = {
      type: 'returned',
      ref,
      messageType: entry.type,
      mrn: entry.mrn,
      recipientCountry: recipient,
      rejected,
    };
    const text = JSON.stringify(frame);
    for (const s of this.sessions.get(entry.senderCountry) ?? []) s.send(text);
  }

  private async flushAcks(): Promise<void> {
    if (this.ackFlushing) return;
    this.ackFlushing = true;
    try {
      while (this.ackQueue.length > 0) {
        const acks = this.ackQueue.splice(0, 1000);
        try {
          await this.store.markDelivered(acks);
          this.retiring.push({ tag: this.readsStarted, ids: acks.map((a) => a.id) });
          this.retire();
        } catch (err) {
          // Kept in `acking` so they are not sent again; retried on the next tick.
          this.ackQueue.unshift(...acks);
          this.opts.log({ event: 'ack-write-failed', error: (err as Error).message });
          return;
        }
      }
    } finally {
      this.ackFlushing = false;
    }
  }

  private tick(): void {
    const now = Date.now();
    for (const [country, list] of this.sessions) {
      const session = list[0];
      if (!session) continue;
      for (const e of session.inflight.values()) {
        if (e.deadline > now) continue;
        e.deadline = now + this.opts.ackTimeoutMs;
        this.metrics.redeliveries.inc({ recipient_country: country });
        session.send(`{"type":"deliver","redelivery":true,"message":${e.json}}`);
      }
    }
    if (this.ackQueue.length > 0) void this.flushAcks();
    // A periodic top-up covers messages whose trigger was lost to a store error.
    if (++this.ticks % 10 === 0) for (const country of this.sessions.keys()) void this.fill(country);
  }
}
