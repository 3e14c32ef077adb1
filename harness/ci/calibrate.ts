// Measures this host for the committed-baseline gate, in the same job as the run: a fixed
// CPU reference (JSON round trips of a CTD-sized object, the node's own kind of work) and
// the raw SQL rate of the PostgreSQL the run uses (insert and select by key from a few
// connections). Each is the median of several short windows, so a moment of other load
// does not set it.
import pg from 'pg';
import type { Calibration } from '../report/calibration.ts';
import { median } from '../report/sample-statistics.ts';

const WINDOWS = 5;
const WINDOW_MS = 300;

/** A CTD-sized record: nested objects, strings and numbers, about 3 kB as JSON. */
function reference(): unknown {
  return {
    lrn: 'LRN-CALIBRATION-000001',
    holder: { identificationNumber: 'GE123456789', name: 'Calibration Carrier LLC', address: 'Tbilisi 0100' },
    offices: { departure: 'GE000100', transit: ['AZ000200', 'KZ000300'], destination: 'KZ000900' },
    items: Array.from({ length: 12 }, (_, i) => ({
      sequence: i + 1,
      hs: `8471${String(i).padStart(2, '0')}`,
      description: `Goods item ${i + 1} for the calibration of this host`,
      grossMass: 1000 + i * 17.5,
      netMass: 900 + i * 15.25,
      value: { amount: 12_500 + i * 333, currency: 'USD' },
      packages: [{ kind: 'PK', count: 10 + i, marks: `MARK-${i}` }],
    })),
  };
}

function cpuWindow(ms: number): number {
  const record = reference();
  let n = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 50; i++) JSON.parse(JSON.stringify(record));
    n += 50;
    elapsed = performance.now() - started;
  }
  return (n * 1000) / elapsed;
}

/** JSON round trips per second on one core. */
export function measureCpu(windows = WINDOWS, windowMs = WINDOW_MS): number {
  cpuWindow(50); // warm the JIT
  return median(Array.from({ length: windows }, () => cpuWindow(windowMs)));
}

/** Statements per second of insert + select by key from `connections` clients on the server at `url`. */
export async function measureSql(
  url: string,
  connections = 4,
  windows = WINDOWS,
  windowMs = WINDOW_MS,
): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  const table = `cats_calibration_${process.pid}`;
  try {
    await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (id bigint PRIMARY KEY, body text NOT NULL)`);
    await pool.query(`TRUNCATE ${table}`);
    let next = 0;
    const body = JSON.stringify(reference());
    const window = async (ms: number) => {
      let n = 0;
      const until = performance.now() + ms;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: connections }, async () => {
          while (performance.now() < until) {
            const id = next++;
            await pool.query(`INSERT INTO ${table} (id, body) VALUES ($1, $2)`, [id, body]);
            await pool.query(`SELECT body FROM ${table} WHERE id = $1`, [id]);
            n += 2;
          }
        }),
      );
      return (n * 1000) / (performance.now() - started);
    };
    await window(100);
    const rates: number[] = [];
    for (let i = 0; i < windows; i++) rates.push(await window(windowMs));
    return median(rates);
  } finally {
    await pool.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await pool.end();
  }
}

export async function calibrate(databaseUrl: string): Promise<Calibration> {
  return {
    cpuPerSecond: measureCpu(),
    sqlPerSecond: await measureSql(databaseUrl),
    measuredAt: new Date().toISOString(),
  };
}
