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
