// Everything a node's routes share: its country, database, identifiers, credentials, notifications, metrics.
import type pg from 'pg';
import { businessClock, REAL_TIME, type BusinessClock, type ClockAnchor } from '../domain/business-clock.ts';
import { countryByCode } from '../spec/reference-data/countries.ts';
import { officeByReference } from '../spec/reference-data/offices.ts';
import { SequenceBlocks } from '../store/identifiers.ts';
import { NodeMetrics } from './metrics.ts';
import { Notifier } from './notifier.ts';
import { Credentials } from './principal.ts';

export interface NodeContext {
  country: string;
  pool: pg.Pool;
  credentials: Credentials;
  mrnSequence: SequenceBlocks;
  notifier: Notifier;
  metrics: NodeMetrics;
  offices: typeof officeByReference;
  countries: typeof countryByCode;
  /** Business time (limit dates, enquiry and recovery periods, business timestamps). */
  clock: BusinessClock;
  /** The business time now. */
  now(): Date;
  random(): number;
}

export function createContext(opts: {
  country: string;
  pool: pg.Pool;
  adminToken: string;
  /** The deployment's auditor identity, which may read the audit routes only. */
  auditorToken?: string;
  /** The deployment's business time (a clock over another time source in tests); real time when absent. */
  clock?: ClockAnchor | BusinessClock;
}): NodeContext {
  const notifier = new Notifier();
  const clock = opts.clock && 'now' in opts.clock ? opts.clock : businessClock(opts.clock ?? REAL_TIME, Date.now);
  return {
    country: opts.country,
    pool: opts.pool,
    credentials: new Credentials(opts.pool, opts.adminToken, opts.auditorToken),
    mrnSequence: new SequenceBlocks(opts.pool, 'mrn_sequence'),
    notifier,
    metrics: new NodeMetrics(opts.country, opts.pool, notifier, clock),
    offices: officeByReference,
    countries: countryByCode,
    clock,
    now: () => clock.now(),
    random: Math.random,
  };
}
