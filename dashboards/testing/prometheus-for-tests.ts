// The Prometheus binary integration tests use. Without one they are skipped with
// a message, unless CATS_STRESS_REQUIRE_PROMETHEUS is set (CI installs it, so a
// missing binary there is a failure, not a skip).
import { findPrometheus } from '../prometheus.ts';

export function prometheusForTests(testFile: string): string | undefined {
  const binary = findPrometheus();
  if (binary) return binary;
  const hint = 'apt-get install -y --no-install-recommends prometheus, or set PROMETHEUS_BIN';
  if (process.env.CATS_STRESS_REQUIRE_PROMETHEUS)
    throw new Error(`${testFile}: no prometheus binary, and CATS_STRESS_REQUIRE_PROMETHEUS is set (${hint})`);
  console.warn(`${testFile} skipped: no prometheus binary (${hint})`);
  return undefined;
}

export type InstantVector = Array<{ metric: Record<string, string>; value: [number, string] }>;

/** An instant query against the Prometheus at `base`; a failed query throws with Prometheus' error. */
export async function instantQuery(base: string, q: string): Promise<InstantVector> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { status: string; data: { result: InstantVector }; error?: string };
  if (body.status !== 'success') throw new Error(`query ${q} failed: ${body.error}`);
  return body.data.result;
}
