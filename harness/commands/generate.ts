// `cats-stress generate`: writes a synthetic Middle Corridor data set.
import type { Command } from '../cli.ts';
import { parseFlags, UsageError } from '../flags.ts';
import { CALENDAR_YEARS } from '../../generators/corridor/traffic-shape.ts';
import { movementsAtScale, PILOT_COUNTRIES, type DatasetOptions } from '../../generators/dataset.ts';
import { defectKinds, type DefectKind } from '../../generators/defects.ts';
import { profileNames, type ProfileName } from '../../generators/traffic.ts';
import { writeDataset, type Progress } from '../../generators/write-dataset.ts';

const usage = `usage: cats-stress generate (--movements N | --scale X) --seed S --out DIR [options]

Writes a deterministic synthetic transit data set (same options ⇒ same bytes):
ctds.ndjson, plan.ndjson, operators.ndjson, officers.ndjson, guarantees.ndjson,
fixtures.<COUNTRY>.ndjson (one admin fixture request per line) and manifest.json.

options:
  --movements N        number of CTDs
  --scale X            or: X times the projected traffic of the profile's span
                       (--scale 1 --profile peak-day: the busiest day as forecast)
  --seed S             seed (required)
  --out DIR            output folder (required; created if missing)
  --profile NAME       ${profileNames.join(' | ')} (default weekday)
  --defects SHARE      share of CTDs carrying one labelled defect, 0-1 (default 0)
  --defect-kinds LIST  comma-separated kinds to draw from (default all):
                       ${defectKinds.join(', ')}
  --countries LIST     pilot countries lodging CTDs (default ${PILOT_COUNTRIES.join(',')})
  --year YYYY          calendar year of the profile, ${CALENDAR_YEARS.join(' | ')} (default 2026)`;

function list(value: string | undefined): string[] | undefined {
  return value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
}

function progressBar(): ((p: Progress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  const started = performance.now();
  let last = 0;
  return ({ done, total }) => {
    const now = performance.now();
    if (now - last < 200 && done < total) return;
    last = now;
    const fraction = total > 0 ? done / total : 1;
    const width = 30;
    const filled = Math.round(fraction * width);
    const rate = done / Math.max(0.001, (now - started) / 1000);
    const eta = rate > 0 ? (total - done) / rate : 0;
    process.stderr.write(
      `\rgenerate [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${done}/${total} ${Math.round(rate)}/s ETA ${Math.ceil(eta)}s   ` +
        (done >= total ? '\n' : ''),
    );
  };
}

export const command: Command = {
  name: 'generate',
  summary: 'generate a synthetic, deterministic Middle Corridor data set (CTDs, parties, guarantees, replay plan)',
  usage,
  async run(argv) {
    const { values } = parseFlags({
      args: argv,
      options: {
        movements: { type: 'string' },
        scale: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        profile: { type: 'string', default: 'weekday' },
        defects: { type: 'string', default: '0' },
        'defect-kinds': { type: 'string' },
        countries: { type: 'string' },
        year: { type: 'string', default: '2026' },
      },
    });
    const problems: string[] = [];
    let movements = Number(values.movements);
    const scale = Number(values.scale);
    if ((values.movements === undefined) === (values.scale === undefined))
      problems.push('give either --movements or --scale');
    else if (values.movements !== undefined && (!Number.isSafeInteger(movements) || movements < 0))
      problems.push(`--movements must be a whole number, got '${values.movements}'`);
    else if (values.scale !== undefined && !(scale >= 0 && Number.isFinite(scale)))
      problems.push(`--scale must be a non-negative number, got '${values.scale}'`);
    if (!values.seed) problems.push('--seed is required');
    if (!values.out) problems.push('--out is required');
    if (!(profileNames as readonly string[]).includes(values.profile!))
      problems.push(`--profile must be one of ${profileNames.join(', ')}, got '${values.profile}'`);
    const defects = Number(values.defects);
    if (!(defects >= 0 && defects <= 1))
      problems.push(`--defects must be a share between 0 and 1, got '${values.defects}'`);
    const year = Number(values.year);
    if (!CALENDAR_YEARS.includes(year))
      problems.push(`--year must be one of ${CALENDAR_YEARS.join(', ')}, got '${values.year}'`);
    const countries = (list(values.countries) ?? [...PILOT_COUNTRIES]).map((c) => c.toUpperCase());
    for (const c of countries)
      if (!(PILOT_COUNTRIES as readonly string[]).includes(c))
        problems.push(`--countries: ${c} is not a pilot country (${PILOT_COUNTRIES.join(', ')})`);
    const kinds = list(values['defect-kinds']);
    for (const k of kinds ?? [])
      if (!(defectKinds as readonly string[]).includes(k)) problems.push(`--defect-kinds: unknown kind '${k}'`);
    if (problems.length > 0) throw new UsageError(problems.join('; '));
    if (values.scale !== undefined)
      movements = movementsAtScale(scale, { profile: values.profile as ProfileName, countries, year });
    const options: DatasetOptions = {
      seed: values.seed!,
      movements,
      profile: values.profile as ProfileName,
      defects,
      countries,
      year,
      ...(kinds ? { defectKinds: kinds as DefectKind[] } : {}),
    };
    const started = performance.now();
    const manifest = await writeDataset(options, values.out!, progressBar());
    const seconds = (performance.now() - started) / 1000;
    const r = manifest.rates;
    console.log(
      `wrote ${manifest.counts.ctds} CTDs (${manifest.counts.defective} defective), ${manifest.counts.operators} operators, ` +
        `${manifest.counts.guarantees.comprehensive + manifest.counts.guarantees.individual} guarantees to ${values.out} in ${seconds.toFixed(1)} s\n` +
        `profile ${manifest.profile.name} (${manifest.profile.start.slice(0, 10)}, ${manifest.profile.days} d): projected ${r.expectedInProfile.toFixed(0)} CTDs, scale ×${r.scale.toPrecision(3)}; ` +
        `projected peak hour ${r.profilePeakHour.ctdsPerHour.toFixed(1)} CTDs/h (${r.profilePeakHour.ctdsPerSecond.toFixed(4)}/s), year peak ${r.yearPeakHour.ctdsPerHour.toFixed(1)} CTDs/h`,
    );
    return 0;
  },
};
