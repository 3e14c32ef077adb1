// The node half of the transactional outbox: reads the messages a node wrote
// with its state changes, sends them to ICE in the order written, and marks
// them sent once ICE has stored them. A crash between the two only causes a
// resend, which ICE acknowledges as a duplicate (the outbox id is the message id).
// A message ICE refuses (its rules, not its availability) is marked refused, kept
// for inspection and not sent again.
import type pg from 'pg';
import { markRefused, markSent, unsentOutbox, type OutboxRefusal, type OutboxRow } from '../../store/outbox.ts';
import type { IceMessage } from '../../spec/ice/catalogue.ts';
import { IceRefusal, type IceClient } from './ice-client.ts';

export interface OutboxRelayOptions {
  pool: pg.Pool;
  client: IceClient;
  /** The node's country: the sender of every message. */
  country: string;
  batchSize?: number;
  /** Pause between polls of an empty outbox. */
  idleMs?: number;
  log?: (event: Record<string, unknown>) => void;
  now?: () => Date;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class OutboxRelay {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly log: (event: Record<string, unknown>) => void;

  constructor(private readonly opts: OutboxRelayOptions) {
    this.log = opts.log ?? (() => undefined);
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    const { pool, client } = this.opts;
    while (!this.stopped) {
      let rows: OutboxRow[];
      try {
        rows = await unsentOutbox(pool, this.opts.batchSize ?? 200);
      } catch (err) {
        this.log({ event: 'outbox-read-failed', error: (err as Error).message });
        await sleep(1000);
        continue;
      }
      if (rows.length === 0) {
        await sleep(this.opts.idleMs ?? 50);
        continue;
      }
      const messages = await Promise.all(rows.map((r) => this.envelope(r)));
      // Sent in outbox order on one connection: ICE stores them in that order.
      const results = await Promise.allSettled(messages.map((m) => client.send(m)));
      const sent: string[] = [];
      const refused: OutboxRefusal[] = [];
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') sent.push(rows[i].id);
        else if (r.reason instanceof IceRefusal) {
          const { code, message, errors } = r.reason;
          refused.push({ id: rows[i].id, code, message, errors });
          this.log({ event: 'outbox-message-refused', id: rows[i].id, type: rows[i].messageType, code, errors });
        }
      });
      // Until recorded, a message stays unsent and is read again: sent twice, ICE answers duplicate.
      while (sent.length > 0 || refused.length > 0) {
        try {
          await markSent(pool, sent);
          await markRefused(pool, refused);
          break;
        } catch (err) {
          if (this.stopped) return;
          this.log({ event: 'outbox-mark-failed', error: (err as Error).message });
          await sleep(1000);
        }
      }
    }
  }

  private async envelope(r: OutboxRow): Promise<IceMessage> {
    const body = r.body as Record<string, unknown>;
    // The office speaking: departure for the anticipated records, else the office reporting.
    let office = (r.senderOffice ?? body.officeOfDeparture ?? body.officeOfTransit ?? body.officeOfDestination) as
      string | undefined;
    if (!office) {
      const { rows } = await this.opts.pool.query<{ office: string }>(
        'SELECT departure_office AS office FROM movements WHERE mrn = $1',
        [r.mrn],
      );
      office = rows[0]?.office;
    }
    return {
      id: r.id,
      type: r.messageType,
      sender: { country: this.opts.country, office },
      recipient: { country: r.recipientCountry, office: r.recipientOffice },
      mrn: r.mrn,
      sentAt: (this.opts.now?.() ?? new Date()).toISOString(),
      body,
    } as IceMessage;
  }
}
