// Running counts over a generated stream, for the manifest's distributions
// summary: what was drawn, next to what the model expects.
import { commodityById } from './corridor/commodities.ts';
import type { Movement } from './dataset.ts';

/** Upper bounds (inclusive) of the items-per-CTD histogram buckets. */
const ITEM_BUCKETS = [1, 2, 3, 5, 10, 20, 50, 100, 200, 999] as const;

export class StreamSummary {
  ctds = 0;
  defective = 0;
  containerised = 0;
  items = 0;
  maxItems = 0;
  individualGuarantees = 0;
  readonly byCountry: Record<string, number> = {};
  readonly byRoute: Record<string, number> = {};
  readonly byGroup: Record<string, number> = {};
  readonly byDefect: Record<string, number> = {};
  /** Released movements per path they take (as-declared or an unhappy path). */
  readonly byPath: Record<string, number> = {};
  readonly itemsHistogram: Record<string, number> = Object.fromEntries(ITEM_BUCKETS.map((b) => [`<=${b}`, 0]));
  /** CTDs per UTC hour of the day. */
  readonly byHour: number[] = new Array(24).fill(0);

  add(m: Movement): void {
    const r = m.record;
    this.ctds++;
    this.byCountry[r.country] = (this.byCountry[r.country] ?? 0) + 1;
    this.byRoute[r.route] = (this.byRoute[r.route] ?? 0) + 1;
    const group = commodityById.get(r.commodity)!.group;
    this.byGroup[group] = (this.byGroup[group] ?? 0) + 1;
    if (r.defect) {
      this.defective++;
      this.byDefect[r.defect.kind] = (this.byDefect[r.defect.kind] ?? 0) + 1;
    }
    if (r.path) this.byPath[r.path.kind] = (this.byPath[r.path.kind] ?? 0) + 1;
    if (r.ctd.consignment.containerIndicator) this.containerised++;
    const n = r.ctd.consignment.goodsItems.length;
    this.items += n;
    if (n > this.maxItems) this.maxItems = n;
    const bucket = ITEM_BUCKETS.find((b) => n <= b) ?? 999;
    this.itemsHistogram[`<=${bucket}`]!++;
    this.byHour[Number(r.at.slice(11, 13))]!++;
    for (const g of m.guarantees) if (g.type === '2') this.individualGuarantees++;
  }

  toJSON() {
    const share = (x: number) => (this.ctds > 0 ? Math.round((x / this.ctds) * 10000) / 10000 : 0);
    const shares = (o: Record<string, number>) =>
      Object.fromEntries(
        Object.entries(o)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => [k, share(v)]),
      );
    return {
      ctds: this.ctds,
      defective: this.defective,
      byCountry: sorted(this.byCountry),
      byRoute: sorted(this.byRoute),
      commodityGroups: shares(this.byGroup),
      byDefect: sorted(this.byDefect),
      byPath: sorted(this.byPath),
      containerShare: share(this.containerised),
      itemsPerCtd: {
        mean: this.ctds > 0 ? Math.round((this.items / this.ctds) * 1000) / 1000 : 0,
        max: this.maxItems,
        histogram: this.itemsHistogram,
      },
      byUtcHour: this.byHour,
    };
  }
}

function sorted(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
