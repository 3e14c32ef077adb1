// Prometheus' text exposition format, as every part serves it on /metrics (prom-client).

/** Samples by wanted series name: each sample's label text (`a="1",b="2"`) and value. */
export type Samples = Map<string, Array<{ labels: string; value: number }>>;

/**
 * The samples of the wanted series, each matched by the end of its name (prom-client's
 * default metrics carry each part's prefix); comments and every other series are skipped unread.
 */
export function parseExposition(text: string, wanted: readonly string[]): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.charCodeAt(0) === 35 /* # */) continue;
    const brace = line.indexOf('{');
    const space = line.indexOf(' ');
    const nameEnd = brace >= 0 && brace < space ? brace : space;
    if (nameEnd <= 0) continue;
    const name = line.slice(0, nameEnd);
    const key = wanted.find((w) => name.endsWith(w));
    if (!key) continue;
    const labelEnd = brace === nameEnd ? line.lastIndexOf('}') : nameEnd - 1;
    const labels = brace === nameEnd ? line.slice(brace + 1, labelEnd) : '';
    const value = Number(
      line
        .slice(labelEnd + 1)
        .trim()
        .split(' ')[0],
    );
    if (!Number.isFinite(value)) continue;
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push({ labels, value });
  }
  return out;
}
