// The dashboards cats-stress provisions, by file name under dashboards/grafana/.
import { capacityDashboard } from './capacity.ts';
import { projectedPeakHour } from './corridor-peak.ts';
import { buildDashboard, type GrafanaDashboard } from './grafana-model.ts';
import { loadTest } from './load-test.ts';
import { referenceCatsIce } from './reference-cats-ice.ts';

export function allDashboards(): Map<string, GrafanaDashboard> {
  return new Map([
    ['load-test.json', buildDashboard(loadTest)],
    ['reference-cats-ice.json', buildDashboard(referenceCatsIce)],
    ['capacity.json', buildDashboard(capacityDashboard(projectedPeakHour()))],
  ]);
}
