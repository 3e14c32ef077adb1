// `--out journal=FILE`: the run's journal of acknowledged movement steps, one
// NDJSON line per sample of the `movement_acks` counter (scenarios/lib/journal.js):
//   {"t":1795000000123,"mrn":"26GE…","step":"ctd_submit","state":"RELEASED"}
// A reconciliation reads it to know, per MRN, the last step a node acknowledged.
// Under a real k6 the same samples are in `--out json` (tags mrn, step, state).
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { Sample } from '../metrics/metric.ts';
import type { Output, OutputFactory, OutputParams } from './output.ts';

/** The counter scenarios add 1 to, tagged mrn, step and state, each time a node acknowledges a step. */
export const ACK_METRIC = 'movement_acks';

export interface JournalLine {
  /** Epoch milliseconds of the acknowledgement. */
  t: number;
  mrn: string;
  /** The operation acknowledged (ctd_submit, ctd_release, movement_crossing, …). */
  step: string;
  /** The movement's state in the acknowledging node's answer. */
  state: string;
}

class JournalOutput implements Output {
  readonly description: string;
  readonly #file: string;
  #out: WriteStream | undefined;
  #error: Error | undefined;

  constructor(params: OutputParams) {
    if (!params.arg) throw new Error('--out journal=FILE: a file is required');
    this.#file = params.arg;
    this.description = `journal (${this.#file})`;
  }

  async start(): Promise<void> {
    // As the time-series output: the run's results folder may not exist yet.
    await mkdir(path.dirname(path.resolve(this.#file)), { recursive: true });
    const file = createWriteStream(this.#file);
    await new Promise<void>((resolve, reject) => {
      file.once('open', () => resolve());
      file.once('error', (err) => reject(new Error(`journal output: cannot write ${this.#file}: ${err.message}`)));
    });
    file.on('error', (err) => (this.#error ??= err));
    this.#out = file;
  }

  addSamples(samples: Sample[]): void {
    const out = this.#out;
    if (!out) return;
    let text = '';
    for (const s of samples) {
      if (s.metric !== ACK_METRIC || !s.tags.mrn) continue;
      const line: JournalLine = { t: s.time, mrn: s.tags.mrn, step: s.tags.step ?? '', state: s.tags.state ?? '' };
      text += `${JSON.stringify(line)}\n`;
    }
    if (text) out.write(text);
  }

  async stop(): Promise<void> {
    const out = this.#out;
    this.#out = undefined;
    if (!out) return;
    out.end();
    await finished(out);
    if (this.#error) throw new Error(`journal output: writing ${this.#file} failed: ${this.#error.message}`);
  }
}

export const create: OutputFactory = (params) => new JournalOutput(params);
