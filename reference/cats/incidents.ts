// Incidents en route (transhipment, change of transport means, seal broken,
// accident): recorded by an office of the country where they happen and
// forwarded to departure (IE180), where the holder is notified (IE182) and the
// movement is not written off until an officer of departure decides on them.
import type { IncidentReport } from '../spec/movements.ts';
import type { MovementRecord } from '../store/movements.ts';
import { toDeparture } from './c2c-messages.ts';
import type { NodeContext } from './context.ts';
import { dischargeStep, requireOfficerAt, runStep, servedHere, type Step } from './lifecycle.ts';
import type { Principal } from './principal.ts';
import { notFound } from './rejection.ts';

const withIncident = (m: MovementRecord, office: string, r: Omit<IncidentReport, 'office'>) =>
  JSON.stringify([...m.incidents, { office, ...r }]);

/** An incident recorded by an officer of `r.office`; at a foreign copy also sent to departure (IE180). */
export const recordIncident = (ctx: NodeContext, p: Principal, mrn: string, r: IncidentReport) =>
  runStep(ctx, mrn, (m) => {
    requireOfficerAt(p, r.office);
    servedHere(ctx, r.office);
    const { office, ...incident } = r;
    if (m.role === 'departure') return incidentAtDeparture(m, office, incident);
    if (['WRITTEN_OFF', 'RECOVERED', 'INVALIDATED'].includes(m.state)) throw notFound(`movement ${mrn} en route`);
    return {
      events: [],
      change: () => ({ incidents: withIncident(m, office, incident) }),
      messages: toDeparture(
        ctx,
        m.departureOffice,
        { type: 'IE180', body: { officeOfIncident: office, ...incident } },
        office,
      ),
    };
  });

/** The incident applied to a movement declared here (recorded here, or by IE180). */
export function incidentAtDeparture(m: MovementRecord, office: string, r: Omit<IncidentReport, 'office'>): Step {
  return {
    events: [{ type: 'incident', office, kind: r.kind }],
    change: () => ({ incidents: withIncident(m, office, r) }),
  };
}

/** Customs at departure decides on the incidents; a movement already controlled is then written off. */
export const decideIncidents = (ctx: NodeContext, p: Principal, mrn: string) =>
  runStep(ctx, mrn, (m) => {
    if (m.role !== 'departure') throw notFound(`movement ${mrn}`);
    requireOfficerAt(p, m.departureOffice);
    if (m.state === 'CONTROLLED') return dischargeStep(ctx, m, [{ type: 'incidentDecision' }, { type: 'writeOff' }]);
    return { events: [{ type: 'incidentDecision' }] };
  });
