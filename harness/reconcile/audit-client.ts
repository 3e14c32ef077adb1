// The audit's only way in: the public HTTP API of each node and of ICE, with the
// deployment's auditor token (or a node's admin token). A route a target does
// not have (404, 405, 501) or does not let the auditor read (401, 403) makes
// that source unavailable, with the reason, so the checks needing it say
// "not applicable" instead of passing.
import type { AppliedMessage, AuditGuarantee, AuditMovement } from '../../reference/spec/audit.ts';
import { ICE_AUDIT_PATH, type StoredMessage } from '../../reference/spec/ice/audit.ts';
import type { DeploymentFile } from '../deploy/deployment-file.ts';

export interface Unavailable {
  unavailable: string;
  /** The part did not answer at all: a failure of the deployment, not a route it lacks. */
  unreachable?: true;
}

export type Source<T> = T[] | Unavailable;

export const isAvailable = <T>(s: Source<T>): s is T[] => Array.isArray(s);

export interface NodeAudit {
  country: string;
  movements: Source<AuditMovement>;
  guarantees: Source<AuditGuarantee>;
  applied: Source<AppliedMessage>;
}

/** What the deployment holds, read after the run through the audit routes. */
export interface AuditSnapshot {
  nodes: Record<string, NodeAudit>;
  /** undefined: the deployment has no ICE. */
  ice?: Source<StoredMessage>;
}

const NOT_THERE = new Set([404, 405, 501]);
const NOT_ALLOWED = new Set([401, 403]);
const PAGE = 1000;

/** Every page of a keyset-paged audit route. */
async function allPages<T>(base: string, route: string, token: string | undefined): Promise<Source<T>> {
  const items: T[] = [];
  let after: string | null = null;
  for (;;) {
    const url = `${base}${route}?limit=${PAGE}${after === null ? '' : `&after=${encodeURIComponent(after)}`}`;
    let res: Response;
    try {
      // Without a token the route is still asked: a part that does not answer at all is a finding.
      res = await fetch(url, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
      return { unavailable: `GET ${route} got no answer: ${cause}`, unreachable: true };
    }
    if (NOT_THERE.has(res.status)) return { unavailable: `${route} answered ${res.status}: the target lacks it` };
    if (NOT_ALLOWED.has(res.status))
      return {
        unavailable: token
          ? `${route} answered ${res.status}: the auditor may not read it`
          : `${route} answered ${res.status}: the deployment file has no auditor or admin token for it`,
      };
    if (res.status !== 200) throw new Error(`audit: GET ${url} answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { items?: T[]; next?: string | null };
    if (!Array.isArray(body.items)) throw new Error(`audit: GET ${url}: the answer has no items`);
    items.push(...body.items);
    if (!body.next) return items;
    after = body.next;
  }
}

export async function auditSnapshot(d: DeploymentFile): Promise<AuditSnapshot> {
  const nodes: Record<string, NodeAudit> = {};
  await Promise.all(
    Object.entries(d.nodes).map(async ([country, node]) => {
      const token = d.auditor?.token ?? node.adminToken;
      const [movements, guarantees, applied] = await Promise.all([
        allPages<AuditMovement>(node.url, '/v1/audit/movements', token),
        allPages<AuditGuarantee>(node.url, '/v1/audit/guarantees', token),
        allPages<AppliedMessage>(node.url, '/v1/audit/applied-messages', token),
      ]);
      nodes[country] = { country, movements, guarantees, applied };
    }),
  );
  if (!d.ice) return { nodes };
  const ice: Source<StoredMessage> = d.ice.httpUrl
    ? await allPages<StoredMessage>(d.ice.httpUrl, ICE_AUDIT_PATH, d.auditor?.token)
    : { unavailable: 'the deployment file gives no ICE httpUrl for its audit route' };
  return { nodes, ice };
}
