// The `k6/metrics` module: custom Counter, Gauge, Rate and Trend.
import type { MetricDefinition, MetricType, Tags } from '../metrics/metric.ts';
import { checkMetricName } from '../metrics/registry.ts';
import { engine, inInitContext } from '../runtime/engine-state.ts';
import { currentVu, InitContextError } from '../runtime/vu-context.ts';

const warned = new Set<string>();

class Metric {
  readonly name: string;
  readonly type: MetricType;
  private readonly def: MetricDefinition;

  constructor(type: MetricType, name: string, isTime = false) {
    if (!inInitContext(currentVu()))
      throw new Error(`metric '${name}': metrics can only be created in the init context`);
    checkMetricName(name);
    this.name = name;
    this.type = type;
    this.def = { name, type, contains: type === 'trend' && isTime ? 'time' : 'default' };
    engine.registry.define(this.def);
  }

  add(value: number | boolean, tags?: Tags): boolean {
    const vu = currentVu();
    if (!vu) throw new InitContextError(`${this.name}.add()`);
    const v = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    if (typeof v !== 'number' || Number.isNaN(v)) {
      if (engine.options.throw === true) throw new TypeError(`${this.name}.add(${String(value)}): not a number`);
      if (!warned.has(this.name)) {
        warned.add(this.name);
        console.warn(`${this.name}.add(${String(value)}): not a number, sample ignored`);
      }
      return false;
    }
    vu.sink.add(this.def, v, tags ? { ...vu.tags, ...tags } : vu.tags);
    return true;
  }
}

export class Counter extends Metric {
  constructor(name: string) {
    super('counter', name);
  }
}
export class Gauge extends Metric {
  constructor(name: string) {
    super('gauge', name);
  }
}
export class Rate extends Metric {
  constructor(name: string) {
    super('rate', name);
  }
}
export class Trend extends Metric {
  constructor(name: string, isTime = false) {
    super('trend', name, isTime);
  }
}

export default { Counter, Gauge, Rate, Trend };
