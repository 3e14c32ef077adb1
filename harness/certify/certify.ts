// A certification run: certification's ICE bound where the node connects, the
// conformance checks (C2B and C2C), the load and fault step, and the
// certificate written to results/<run>/.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadChecks, type Check, type RunState } from './check.ts';
import { certificate, type Certificate } from './certificate.ts';
import { certificateHtml } from './certificate-html.ts';
import { probeDurability } from './durability-probe.ts';
import { runLoad, type LoadOptions } from './load-step.ts';
import { NodeClient } from './node-client.ts';
import type { Outcome } from './outcome.ts';
import { ScriptedIce } from './scripted-ice.ts';
import { openSession } from './session.ts';
import type { CertifyTarget } from './target.ts';

export interface CertifyOptions {
  target: CertifyTarget;
  /** Folder the run folder goes in (default results). */
  resultsDir: string;
  run?: string;
  profile: 'full' | 'quick';
  /** Undefined: no load and fault step. */
  load?: LoadOptions;
  /** Longest wait for one answer of the node over ICE (ms). */
  waitMs: number;
  /** Longest wait for the node's first connection to ICE (ms). */
  connectMs: number;
  log?: (line: string) => void;
}

export interface CertifyResult {
  certificate: Certificate;
  dir: string;
}

async function judge(check: Check, run: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await run();
  } catch (err) {
    return { status: 'fail', detail: `the check could not complete: ${(err as Error).message}`, evidence: [] };
  }
}

/** Keeps the worst outcome when several checks judge one requirement. */
function record(outcomes: Map<string, Outcome>, id: string, o: Outcome): void {
  const earlier = outcomes.get(id);
  if (!earlier) return void outcomes.set(id, o);
  const rank = { fail: 2, pass: 1, 'not-applicable': 0 } as const;
  const worst = rank[o.status] > rank[earlier.status] ? o : earlier;
  outcomes.set(id, { ...worst, evidence: [...earlier.evidence, ...o.evidence] });
}

export async function certify(o: CertifyOptions): Promise<CertifyResult> {
  const log = o.log ?? (() => undefined);
  const t = o.target;
  const run = o.run ?? `certify-${t.country}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const node = new NodeClient(t.url);
  const ice = await ScriptedIce.start({ url: t.ice.url, token: t.ice.token, country: t.country });
  const outcomes = new Map<string, Outcome>();
  const state: RunState = {};
  try {
    log(`ICE listening on ${t.ice.url}; waiting for ${t.country} to connect`);
    await ice.waitConnected(o.connectMs).catch((err: Error) => log(err.message));
    const health = await node.get('/healthz').catch(() => undefined);
    const version = t.implementationVersion ?? String(health?.body?.version ?? 'unknown');
    const session = await openSession({ country: t.country, node, adminToken: t.adminToken, ice, waitMs: o.waitMs });
    const checks = await loadChecks();
    const conformance = checks.filter((c) => c.step === 'conformance');
    const probe = probeDurability(session);
    for (const c of conformance.filter((c) => !c.last)) {
      const outcome = await judge(c, () => c.run(session, state));
      log(`${c.requirement}: ${outcome.status}${outcome.status === 'fail' ? ` — ${outcome.detail}` : ''}`);
      record(outcomes, c.requirement, outcome);
    }
    state.probes = await probe.stop();
    for (const c of conformance.filter((c) => c.last)) {
      const outcome = await judge(c, () => c.run(session, state));
      log(`${c.requirement}: ${outcome.status}${outcome.status === 'fail' ? ` — ${outcome.detail}` : ''}`);
      record(outcomes, c.requirement, outcome);
    }
    if (o.load) {
      log(
        `load: ${o.load.ratePerSecond}/s for ${o.load.durationSeconds} s, ICE cut at ${o.load.faultAtSeconds ?? '-'} s`,
      );
      state.load = await runLoad(session, o.load);
      for (const c of checks.filter((c) => c.step === 'load')) {
        const outcome = await judge(c, () => c.run(session, state));
        log(`${c.requirement}: ${outcome.status}${outcome.status === 'fail' ? ` — ${outcome.detail}` : ''}`);
        record(outcomes, c.requirement, outcome);
      }
    }
    const cert = certificate({
      country: t.country,
      url: t.url,
      version,
      run,
      profile: o.profile,
      outcomes,
      load: state.load,
    });
    const dir = path.resolve(o.resultsDir, run);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'certificate.json'), JSON.stringify(cert, null, 2) + '\n');
    await writeFile(path.join(dir, 'certificate.html'), certificateHtml(cert));
    return { certificate: cert, dir };
  } finally {
    await ice.close();
  }
}
