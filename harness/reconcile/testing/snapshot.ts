// Hand-built audit snapshots for the checks' unit tests.
import type { AppliedMessage, AuditGuarantee, AuditMovement } from '../../../reference/spec/audit.ts';
import type { StoredMessage } from '../../../reference/spec/ice/audit.ts';
import type { AuditSnapshot, NodeAudit } from '../audit-client.ts';

export const OFFICES = { GE: 'GE069002', AZ: 'AZ000100', KZ: 'KZ000010', TR: 'TR080100' } as const;

/** A well-formed MRN of `country` (check digit not computed: the checks read only its country). */
export const mrn = (country: string, n: number) => `26${country}${String(n).padStart(12, '0')}J0`;

export function movement(p: Partial<AuditMovement> & { mrn: string }): AuditMovement {
  return {
    role: 'departure',
    state: 'RELEASED',
    offices: { departure: OFFICES.GE, transit: [OFFICES.AZ], destination: OFFICES.KZ },
    reservations: [],
    ...p,
  };
}

export function guarantee(grn: string, reference: number, reserved: number): AuditGuarantee {
  return {
    grn,
    currency: 'GEL',
    referenceAmountMinor: reference,
    reservedMinor: reserved,
    availableMinor: reference - reserved,
  };
}

export function stored(p: Partial<StoredMessage> & { id: string; recipient: string }): StoredMessage {
  return {
    type: 'IE050',
    mrn: mrn('GE', 1),
    sender: 'GE',
    storedAt: '2026-12-03T10:00:00.000Z',
    status: 'applied',
    deliveredAt: '2026-12-03T10:00:01.000Z',
    rejection: null,
    ...p,
  };
}

export function applied(messageId: string, type = 'IE050', m = mrn('GE', 1)): AppliedMessage {
  return { messageId, type, mrn: m, appliedAt: '2026-12-03T10:00:01.000Z' };
}

export function node(country: string, p: Partial<Omit<NodeAudit, 'country'>> = {}): NodeAudit {
  return { country, movements: [], guarantees: [], applied: [], ...p };
}

export function snapshot(nodes: NodeAudit[], ice?: AuditSnapshot['ice']): AuditSnapshot {
  return { nodes: Object.fromEntries(nodes.map((n) => [n.country, n])), ...(ice ? { ice } : {}) };
}

/** A message id: a UUID whose last group is `n`. */
export const messageId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
