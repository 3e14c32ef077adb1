// A whole TIR log mirrored: the movements CATS can take as CTDs (with their
// holders' comprehensive guarantees booked), and the records it cannot, each
// with its reasons: a line that breaks the log's format or a movement that
// does not map.
import type { TirLine } from '../../generators/tir-log.ts';
import { seedNode } from '../deploy/seed.ts';
import type { DeploymentFile } from '../deploy/deployment-file.ts';
import { HolderGuarantees, type FixtureGuarantee } from './holder-guarantees.ts';
import { mirror, type Mirrored, type Reason } from './mirror.ts';
import type { Registry } from './registry.ts';

export interface Unmappable {
  line: number;
  carnet?: string;
  reasons: Reason[];
}

export interface MirroredLog {
  mirrored: Mirrored[];
  unmappable: Unmappable[];
  /** The holders' comprehensive guarantees, per country of the holder. */
  guarantees: Map<string, FixtureGuarantee[]>;
}

export function mirrorLog(
  lines: readonly TirLine[],
  registry: Registry,
  options: { seed: string; lrnOf: (carnet: string) => string },
): MirroredLog {
  const movements = lines.flatMap((l) => (l.ok ? [{ line: l.line, movement: l.movement }] : []));
  const trackRecord = new Map<string, number>();
  for (const { movement } of movements)
    if (movement.holder.tin) trackRecord.set(movement.holder.tin, (trackRecord.get(movement.holder.tin) ?? 0) + 1);
  const firstYear = movements.length
    ? Math.min(...movements.map(({ movement }) => new Date(movement.departure.at).getUTCFullYear()))
    : new Date().getUTCFullYear();
  const book = new HolderGuarantees(options.seed, firstYear, trackRecord, registry.guarantors);
  const mirrored: Mirrored[] = [];
  const unmappable: Unmappable[] = [];
  for (const l of lines) {
    if (!l.ok) {
      unmappable.push({ line: l.line, ...(l.carnet ? { carnet: l.carnet } : {}), reasons: l.errors });
      continue;
    }
    const mapping = mirror(l.movement, {
      operators: registry.operators,
      guaranteeOf: (o) => book.of(o),
      lrnOf: options.lrnOf,
    });
    if (mapping.ok) {
      book.book(mapping.mirrored.holderTin, mapping.mirrored.due.amount);
      mirrored.push(mapping.mirrored);
    } else unmappable.push({ line: l.line, carnet: mapping.carnet, reasons: mapping.reasons });
  }
  return { mirrored, unmappable, guarantees: book.fixtures() };
}

/** Registers the holders' guarantees at the nodes of their countries (admin fixture route). */
export async function seedHolderGuarantees(
  deployment: DeploymentFile,
  guarantees: ReadonlyMap<string, FixtureGuarantee[]>,
): Promise<number> {
  let count = 0;
  for (const [country, list] of guarantees) {
    const node = deployment.nodes[country];
    if (!node) continue;
    if (!node.adminToken) throw new Error(`cannot register guarantees in ${country}: no admin token for its node`);
    const bodies = [];
    for (let i = 0; i < list.length; i += 10_000) bodies.push({ guarantees: list.slice(i, i + 10_000) });
    count += (await seedNode({ country, url: node.url, adminToken: node.adminToken }, bodies)).guarantees;
  }
  return count;
}
