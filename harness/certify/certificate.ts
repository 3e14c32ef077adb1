// The certificate: every requirement of the catalogue with its verdict and
// evidence, the performance figures, and the overall verdict.
import { requirements, SPEC_VERSION, type Requirement } from '../../reference/spec/requirements.ts';
import type { LoadResult } from './load-step.ts';
import type { Outcome } from './outcome.ts';

export interface RequirementResult extends Requirement, Outcome {}

export interface Certificate {
  country: string;
  implementation: { url: string; version: string };
  specVersion: string;
  issuedAt: string;
  run: string;
  profile: 'full' | 'quick';
  verdict: 'CERTIFIED' | 'NOT CERTIFIED';
  summary: { mandatory: number; passed: number; failed: number; notApplicable: number };
  requirements: RequirementResult[];
  performance?: LoadResult;
}

export function certificate(o: {
  country: string;
  url: string;
  version: string;
  run: string;
  profile: 'full' | 'quick';
  outcomes: Map<string, Outcome>;
  load?: LoadResult;
}): Certificate {
  const results: RequirementResult[] = requirements.map((r) => ({
    ...r,
    ...(o.outcomes.get(r.id) ?? {
      status: 'not-applicable',
      detail: r.notCertified ? `not part of certification: ${r.notCertified}` : 'not checked by certification',
      evidence: [],
    }),
  }));
  const mandatory = results.filter((r) => r.level === 'mandatory');
  const certified = mandatory.every((r) => r.status !== 'fail');
  return {
    country: o.country,
    implementation: { url: o.url, version: o.version },
    specVersion: SPEC_VERSION,
    issuedAt: new Date().toISOString(),
    run: o.run,
    profile: o.profile,
    verdict: certified ? 'CERTIFIED' : 'NOT CERTIFIED',
    summary: {
      mandatory: mandatory.length,
      passed: results.filter((r) => r.status === 'pass').length,
      failed: results.filter((r) => r.status === 'fail').length,
      notApplicable: results.filter((r) => r.status === 'not-applicable').length,
    },
    requirements: results,
    performance: o.load,
  };
}
