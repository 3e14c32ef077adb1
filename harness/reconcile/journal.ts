// The run's journal of acknowledged steps (journal.ndjson, written by the
// engine's `--out journal=FILE` from the scenarios' `movement_acks` samples):
// per MRN, the last step a node acknowledged.
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { JournalLine } from '../engine/output/journal.ts';

export const JOURNAL_FILE = 'journal.ndjson';

/** Per MRN, its last acknowledged step (the latest line; file order breaks ties). */
export type AckJournal = Map<string, JournalLine>;

export function lastAcks(lines: Iterable<JournalLine>): AckJournal {
  const out: AckJournal = new Map();
  for (const l of lines) {
    const prev = out.get(l.mrn);
    if (!prev || l.t >= prev.t) out.set(l.mrn, l);
  }
  return out;
}

/** The journal in `file`, or undefined when the run wrote none (a real k6 run). */
export async function readJournal(file: string): Promise<AckJournal | undefined> {
  if (!existsSync(file)) return undefined;
  const lines: JournalLine[] = [];
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (!text) continue;
    try {
      lines.push(JSON.parse(text) as JournalLine);
    } catch {
      continue; // a torn last line of an interrupted run
    }
  }
  return lastAcks(lines);
}
