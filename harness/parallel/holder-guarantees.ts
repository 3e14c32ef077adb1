// One comprehensive guarantee (type 1) per TIR holder, as CATS would have it in
// place of a carnet per movement: approved at the level the AEO rule proposes,
// counting the holder's movements in the TIR log as its track record, and sized
// to cover every mirrored movement of the holder at once (so a refusal in the
// replay never stems from the sizing).
import { accessCodeFrom, grnFromSequence } from '../../reference/domain/grn.ts';
import { hashString } from '../../reference/domain/hash.ts';
import { proposedLevel, type GuaranteeLevel } from '../../reference/domain/guarantee.ts';
import type { Fixtures } from '../../reference/spec/fixtures.ts';
import { countryByCode } from '../../reference/spec/reference-data/countries.ts';
import { Random } from '../../generators/random.ts';
import type { Guarantor, RegisteredOperator } from './registry.ts';

export type FixtureGuarantee = NonNullable<Fixtures['guarantees']>[number];

export interface HolderGuarantee {
  grn: string;
  accessCode: string;
  currency: string;
  level: GuaranteeLevel;
}

interface Entry extends HolderGuarantee {
  operator: RegisteredOperator;
  /** Sum of the amounts due of the movements it backs, minor units. */
  due: number;
}

/** Cover beyond the sum due, so exchange-rate rounding never leaves a movement short. */
const HEADROOM = 1.1;

export class HolderGuarantees {
  private readonly entries = new Map<string, Entry>();
  private readonly random: Random;
  private sequence: bigint;

  constructor(
    private readonly seed: string,
    private readonly year: number,
    /** TIR movements per holder TIN in the log: its track record. */
    private readonly trackRecord: ReadonlyMap<string, number>,
    private readonly guarantors: ReadonlyMap<string, Guarantor>,
  ) {
    this.random = new Random(seed, 'parallel/guarantees');
    // Far from the data set's own GRN range (sequence < 2^61).
    this.sequence = (BigInt(hashString(`${seed}/parallel-grn`) % (1 << 20)) << 41n) + (1n << 61n);
  }

  /** The holder's guarantee, opened at its first movement; undefined when no guarantor is known in its country. */
  of(operator: RegisteredOperator): HolderGuarantee | undefined {
    const open = this.entries.get(operator.tin);
    if (open) return open;
    const country = countryByCode.get(operator.country);
    if (!country || !this.guarantors.has(operator.country)) return undefined;
    const entry: Entry = {
      grn: grnFromSequence({ year: this.year, country: operator.country, sequence: this.sequence++ }),
      accessCode: accessCodeFrom(() => this.random.next()),
      currency: country.currency,
      level: proposedLevel({ aeo: operator.aeo, releasedMovements: this.trackRecord.get(operator.tin) ?? 0 }),
      operator,
      due: 0,
    };
    this.entries.set(operator.tin, entry);
    return entry;
  }

  /** Books a mirrored movement's amount due (minor units of the guarantee's currency). */
  book(tin: string, dueMinor: number): void {
    const entry = this.entries.get(tin);
    if (!entry) throw new Error(`holder ${tin} has no guarantee`);
    entry.due += dueMinor;
  }

  /** The guarantees as admin fixtures, per country of the holder. */
  fixtures(): Map<string, FixtureGuarantee[]> {
    const byCountry = new Map<string, FixtureGuarantee[]>();
    for (const e of this.entries.values()) {
      const country = e.operator.country;
      const referenceAmount = Math.max(1000, Math.ceil(((e.due / 100) * HEADROOM) / 1000) * 1000);
      const list = byCountry.get(country) ?? [];
      list.push({
        grn: e.grn,
        accessCode: e.accessCode,
        holderTin: e.operator.tin,
        type: '1',
        referenceAmount,
        currency: e.currency,
        level: e.level,
        guarantor: this.guarantors.get(country)!,
      });
      byCountry.set(country, list);
    }
    return byCountry;
  }
}
