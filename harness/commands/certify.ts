// `cats-stress certify`: certifies one national node on its own, certification
// playing ICE and every other country of the region.
import path from 'node:path';
import { certify } from '../certify/certify.ts';
import type { LoadOptions } from '../certify/load-step.ts';
import { fullLoad, QUICK_LOAD } from '../certify/profiles.ts';
import { startReferenceUnderTest, type ReferenceUnderTest } from '../certify/reference-node.ts';
import { readTarget, type CertifyTarget } from '../certify/target.ts';
import { openPostgres, type PostgresServer } from '../../reference/store/postgres.ts';
import type { Command } from '../cli.ts';
import { numberFlag, parseFlags, UsageError } from '../flags.ts';

const usage = `usage: cats-stress certify (--target node.json | --start-reference) --country CC [options]

Certifies one national CATS node: binds its own ICE at the address the node connects to, plays
every other country, runs the conformance checks (C2B and C2C), a load step with an ICE
connection cut in the middle, and writes results/<run>/certificate.json and certificate.html.
Exit code 0 only when every mandatory requirement passes.

target:
  --target FILE         {country, url, adminToken, ice: {url, token}, implementationVersion?}:
                        the node's C2B URL and admin token, the ICE address (ws://127.0.0.1:PORT/v1/ice)
                        it connects to and the credential it presents there
  --country CC          the node's country (must match the target file's)
  --start-reference     start the reference node itself, pointed at certification's ICE
  --database-url URL    PostgreSQL for --start-reference (default DATABASE_URL, else embedded in --data-dir)
  --data-dir DIR        embedded PostgreSQL folder for --start-reference (default .cats-stress)
  --implementation-version V   version to certify (default: the node's /healthz "version")

steps:
  --quick               short profile: 3 movements/s for 8 s, ICE cut for 2 s, p99 bound 5000 ms
  --peak-multiple N     load rate as a multiple of the projected peak hour of the country's routes (default 100)
  --rate N              load rate in movements per second (overrides --peak-multiple)
  --duration S          load step length in seconds (default 60)
  --fault-at S          when the ICE connection is cut, seconds into the load (default a third of it)
  --fault-for S         how long ICE stays unreachable (default a sixth of the load, at most 10)
  --slo-p99 MS          p99 bound of every C2B request under load (default 500)
  --skip-load           conformance only (the load and fault requirements are then not applicable)
  --wait-ms MS          longest wait for one answer of the node over ICE (default 15000)

output:
  --results DIR         where run folders go (default results)
  --run NAME            run folder name (default certify-<CC>-<time>)

exit codes: 0 certified · 1 a mandatory requirement failed · 2 usage · 3 certification could not run`;

export const command: Command = {
  name: 'certify',
  summary: 'certify one national node alone: ICE and the other countries played by the harness',
  usage,
  async run(argv) {
    const { values } = parseFlags({
      args: argv,
      options: {
        target: { type: 'string' },
        country: { type: 'string' },
        'start-reference': { type: 'boolean', default: false },
        'database-url': { type: 'string' },
        'data-dir': { type: 'string', default: '.cats-stress' },
        'implementation-version': { type: 'string' },
        quick: { type: 'boolean', default: false },
        'peak-multiple': { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        'fault-at': { type: 'string' },
        'fault-for': { type: 'string' },
        'slo-p99': { type: 'string' },
        'skip-load': { type: 'boolean', default: false },
        'wait-ms': { type: 'string', default: '15000' },
        results: { type: 'string', default: 'results' },
        run: { type: 'string' },
      },
    });
    const country = values.country?.toUpperCase();
    if (!country || !/^[A-Z]{2}$/.test(country)) throw new UsageError('--country CC is required');
    if (Boolean(values.target) === values['start-reference'])
      throw new UsageError('give either --target FILE or --start-reference');
    if (values.run !== undefined && !/^[A-Za-z0-9._-]{1,100}$/.test(values.run))
      throw new UsageError('--run must be a folder name (letters, digits, . _ -)');
    const quick = values.quick;
    const base = quick
      ? QUICK_LOAD
      : fullLoad(
          country,
          numberFlag(values['peak-multiple'], '--peak-multiple', { above: 0 }),
          numberFlag(values.duration, '--duration', { above: 0 }),
        );
    const duration = numberFlag(values.duration, '--duration', { above: 0 }) ?? base.durationSeconds;
    const load: LoadOptions | undefined = values['skip-load']
      ? undefined
      : {
          ...base,
          durationSeconds: duration,
          ratePerSecond: numberFlag(values.rate, '--rate', { above: 0 }) ?? base.ratePerSecond,
          faultAtSeconds: numberFlag(values['fault-at'], '--fault-at', { min: 0 }) ?? base.faultAtSeconds,
          faultForSeconds: numberFlag(values['fault-for'], '--fault-for', { above: 0 }) ?? base.faultForSeconds,
          sloP99Ms: numberFlag(values['slo-p99'], '--slo-p99', { above: 0 }) ?? base.sloP99Ms,
        };
    const waitMs = numberFlag(values['wait-ms'], '--wait-ms', { min: 100, integer: true })!;

    let target: CertifyTarget;
    let reference: ReferenceUnderTest | undefined;
    let server: PostgresServer | undefined;
    try {
      if (values.target) {
        target = await readTarget(path.resolve(values.target));
        if (target.country !== country)
          throw new UsageError(`--country ${country} but the target file is for ${target.country}`);
      } else {
        const dataDir = path.resolve(values['data-dir']!);
        server = await openPostgres({
          dataDir: path.join(dataDir, 'pg'),
          databaseUrl: values['database-url'] ?? process.env.DATABASE_URL,
        });
        const database = `certify_${country.toLowerCase()}_${Date.now().toString(36)}`;
        await server.ensureDatabase(database);
        reference = await startReferenceUnderTest({ country, databaseUrl: server.url(database) });
        target = reference.target;
        console.log(`reference node ${country} at ${target.url}, connecting to ${target.ice.url}`);
      }
      if (values['implementation-version'])
        target = { ...target, implementationVersion: values['implementation-version'] };
      const { certificate, dir } = await certify({
        target,
        resultsDir: values.results!,
        run: values.run,
        profile: quick ? 'quick' : 'full',
        load,
        waitMs,
        connectMs: Math.max(waitMs, 30_000),
        log: (line) => console.log(line),
      });
      const s = certificate.summary;
      console.log(
        `${certificate.verdict}: ${s.passed} passed, ${s.failed} failed, ${s.notApplicable} not applicable (${s.mandatory} mandatory)`,
      );
      console.log(`certificate: ${path.join(dir, 'certificate.html')} · ${path.join(dir, 'certificate.json')}`);
      return certificate.verdict === 'CERTIFIED' ? 0 : 1;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      console.error(`cats-stress certify: could not run: ${(err as Error).message}`);
      return 3;
    } finally {
      await reference?.close();
      await server?.stop();
    }
  },
};
