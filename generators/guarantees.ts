// Guarantees of a data set, each with its guarantor (an insurer or bank) and
// the level customs approved it at (the AEO rule's proposal for comprehensive
// guarantees, 100 % for individual ones). Comprehensive guarantees (type 1) are opened per
// operator and filled with the amounts due of the movements they back; when
// one reaches its cap the operator opens another, as forwarders with much
// traffic hold several. Each is sized once it is closed (or at the end of the
// set) to cover everything it backs with headroom, so a scenario that never
// writes a movement off still finds every valid CTD covered. Individual
// guarantees (type 2) cover exactly one CTD. GRNs come from the domain's
// allocation (unique per year and country), access codes from the data set's
// random stream. Operators holding a waiver (type 0) lodge every CTD on it:
// it reserves nothing.
import { accessCodeFrom, grnFromSequence } from '../reference/domain/grn.ts';
import { proposedLevel, type GuaranteeLevel } from '../reference/domain/guarantee.ts';
import type { Fixtures } from '../reference/spec/fixtures.ts';
import { countryByCode } from '../reference/spec/reference-data/countries.ts';
import { COMPREHENSIVE_CAP_USD, MIN_REFERENCE_USD, REFERENCE_HEADROOM } from './corridor/operators.ts';
import type { Guarantor, Operator } from './parties.ts';
import type { Random } from './random.ts';

export type FixtureGuarantee = NonNullable<Fixtures['guarantees']>[number];

export interface GuaranteeRecord extends FixtureGuarantee {
  country: string;
  /** CTDs of the data set it backs (valid ones). */
  movements: number;
  /** Sum of their amounts due, in the guarantee's currency. */
  amountDue: number;
}

interface OpenGuarantee {
  grn: string;
  accessCode: string;
  operator: Operator;
  guarantor: Guarantor;
  type: '0' | '1';
  /** Minor units. */
  due: number;
  movements: number;
}

export class GuaranteeBook {
  private readonly open = new Map<string, OpenGuarantee>();
  private readonly waivers = new Map<string, OpenGuarantee>();
  private sequence = 0n;

  constructor(
    private readonly year: number,
    /** Keeps GRNs of different data sets apart (seeds ⇒ disjoint sequence ranges). */
    private readonly sequenceBase: bigint,
    private readonly random: Random,
  ) {}

  currencyOf(country: string): string {
    const c = countryByCode.get(country);
    if (!c) throw new Error(`unknown country ${country}`);
    return c.currency;
  }

  private nextGrn(country: string): string {
    return grnFromSequence({ year: this.year, country, sequence: this.sequenceBase + this.sequence++ });
  }

  /** A GRN of the right form that this data set never issues (for the unknown-guarantee defect). */
  unissuedGrn(country: string): string {
    return grnFromSequence({ year: this.year, country, sequence: this.sequenceBase + (1n << 40n) + this.sequence++ });
  }

  accessCode(): string {
    return accessCodeFrom(() => this.random.next());
  }

  /** The operator's open comprehensive guarantee (opening one when needed). */
  comprehensive(operator: Operator, guarantor: Guarantor): { grn: string; accessCode: string } {
    let g = this.open.get(operator.tin);
    if (!g) {
      g = {
        grn: this.nextGrn(operator.country),
        accessCode: this.accessCode(),
        operator,
        guarantor,
        type: '1',
        due: 0,
        movements: 0,
      };
      this.open.set(operator.tin, g);
    }
    return g;
  }

  /** The operator's guarantee waiver (type 0), opened at its first CTD and kept for all. */
  waiver(operator: Operator, guarantor: Guarantor): { grn: string; accessCode: string } {
    let g = this.waivers.get(operator.tin);
    if (!g) {
      g = {
        grn: this.nextGrn(operator.country),
        accessCode: this.accessCode(),
        operator,
        guarantor,
        type: '0',
        due: 0,
        movements: 0,
      };
      this.waivers.set(operator.tin, g);
    }
    g.movements++;
    return g;
  }

  /**
   * Books a valid movement's amount due (minor units) on the operator's open
   * comprehensive guarantee; returns the guarantee if this closed it.
   */
  book(operator: Operator, dueMinor: number): GuaranteeRecord | undefined {
    const g = this.open.get(operator.tin);
    if (!g) throw new Error(`operator ${operator.tin} has no open comprehensive guarantee`);
    g.due += dueMinor;
    g.movements++;
    const capMinor = COMPREHENSIVE_CAP_USD * this.unitsPerUsd(operator.country) * 100;
    if (g.due < capMinor) return undefined;
    this.open.delete(operator.tin);
    return this.sized(g);
  }

  /** Every still-open comprehensive guarantee, sized, in opening order, then the waivers. */
  closeAll(): GuaranteeRecord[] {
    const all = [...this.open.values(), ...this.waivers.values()].map((g) => this.sized(g));
    this.open.clear();
    this.waivers.clear();
    return all;
  }

  /** An individual guarantee (type 2) covering `dueMinor` exactly, rounded up to a whole unit. */
  individual(
    operator: Operator,
    guarantor: Guarantor,
    dueMinor: number,
    grn = this.nextGrn(operator.country),
  ): GuaranteeRecord {
    return {
      grn,
      accessCode: this.accessCode(),
      holderTin: operator.tin,
      type: '2',
      referenceAmount: Math.ceil(dueMinor / 100),
      currency: this.currencyOf(operator.country),
      level: 100,
      country: operator.country,
      guarantor,
      movements: 1,
      amountDue: dueMinor / 100,
    };
  }

  /** Reserves an individual guarantee's GRN before its amount is known. */
  individualGrn(country: string): string {
    return this.nextGrn(country);
  }

  private unitsPerUsd(country: string): number {
    return countryByCode.get(country)!.unitsPerUsd;
  }

  private sized(g: OpenGuarantee): GuaranteeRecord {
    const country = g.operator.country;
    const floor = MIN_REFERENCE_USD * this.unitsPerUsd(country);
    const needed = (g.due / 100) * REFERENCE_HEADROOM;
    return {
      grn: g.grn,
      accessCode: g.accessCode,
      holderTin: g.operator.tin,
      type: g.type,
      referenceAmount: Math.ceil(Math.max(floor, needed) / 1000) * 1000,
      currency: this.currencyOf(country),
      level: levelOf(g.operator),
      country,
      guarantor: g.guarantor,
      movements: g.movements,
      amountDue: g.due / 100,
    };
  }
}

/** The level customs approves an operator's guarantee at: the AEO rule's proposal for a new guarantee. */
function levelOf(operator: Operator): GuaranteeLevel {
  return proposedLevel({ aeo: operator.aeo, releasedMovements: 0 });
}
