// The Kubernetes manifests as committed: every object valid against the Kubernetes API
// schemas (kubernetes-models), every reference between them resolvable, the deployment
// file they carry consistent with their services, and the TestRuns within the fields of
// the k6-operator's TestRun (k6.io/v1alpha1, api/v1alpha1/testrun_types.go at v1.6.0).
// dashboards.test.ts keeps the files equal to what deploy/k8s/manifests.ts renders.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { IMAGE } from '../stack.ts';
import { COUNTRIES } from './manifests.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [k: string]: any };
const load = (file: string): Obj[] =>
  parseAllDocuments(readFileSync(`${root}deploy/k8s/${file}`, 'utf8')).map((d) => d.toJSON() as Obj);
const objects = load('reference.yaml');

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
};

const podSpecs = () =>
  objects
    .filter((o) => o.spec?.template?.spec)
    .map((o) => ({ owner: o, pod: o.spec.template.spec, labels: o.spec.template.metadata.labels }));

describe('deploy/k8s/reference.yaml', () => {
  it('holds only objects the Kubernetes API schemas accept', () => {
    for (const o of objects) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}`];
      expect(Model, `${o.apiVersion} ${o.kind}`).toBeDefined();
      expect(() => new Model!(o).validate(), `${o.kind} ${o.metadata.name}`).not.toThrow();
    }
  });

  it('runs ICE and one node per country, each with its own PostgreSQL, and Prometheus and Grafana', () => {
    const names = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.name);
    const nodes = COUNTRIES.map((c) => `cats-node-${c.toLowerCase()}`);
    expect(names('Deployment').sort()).toEqual(['cats-ice', ...nodes, 'grafana', 'prometheus'].sort());
    expect(names('StatefulSet').sort()).toEqual(
      ['ice', ...COUNTRIES.map((c) => c.toLowerCase())].map((p) => `postgres-${p}`).sort(),
    );
    for (const o of objects.filter((x) => x.kind !== 'Namespace')) expect(o.metadata.namespace).toBe('cats-stress');
  });

  it('leaves no reference dangling: selectors, secrets, config maps, claims and $(VAR) expansions', () => {
    const secret = objects.find((o) => o.kind === 'Secret')!;
    const configMaps = new Set(objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name));
    const claims = new Set(objects.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.metadata.name));
    const pods = podSpecs();
    for (const s of objects.filter((o) => o.kind === 'Service')) {
      const selected = pods.filter((p) => Object.entries(s.spec.selector).every(([k, v]) => p.labels[k] === v));
      expect(
        selected.map((p) => p.owner.metadata.name),
        `service ${s.metadata.name}`,
      ).toHaveLength(1);
      const ports = selected[0]!.pod.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.containerPort));
      expect(ports, `service ${s.metadata.name}`).toContain(s.spec.ports[0].targetPort);
    }
    for (const { owner, pod } of pods) {
      for (const v of pod.volumes ?? []) {
        if (v.configMap) expect(configMaps, owner.metadata.name).toContain(v.configMap.name);
        if (v.persistentVolumeClaim) expect(claims, owner.metadata.name).toContain(v.persistentVolumeClaim.claimName);
      }
      for (const c of pod.containers) {
        const defined: string[] = [];
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (ref) expect(Object.keys(secret.stringData), `${owner.metadata.name} ${e.name}`).toContain(ref.key);
          // Kubernetes expands $(VAR) only from variables defined before it in the same container.
          for (const [, name] of String(e.value ?? '').matchAll(/\$\(([A-Z_0-9]+)\)/g))
            expect(defined, `${owner.metadata.name} ${e.name}`).toContain(name);
          defined.push(e.name);
        }
        for (const m of c.volumeMounts ?? [])
          expect([
            ...(pod.volumes ?? []).map((v: any) => v.name),
            ...(owner.spec.volumeClaimTemplates ?? []).map((t: any) => t.metadata.name),
          ]).toContain(m.name);
      }
    }
  });

  it('gives scenarios a deployment file whose nodes and ICE are the services, with the credentials of the Secret', () => {
    const secret = objects.find((o) => o.kind === 'Secret')!.stringData;
    const file = JSON.parse(objects.find((o) => o.metadata.name === 'cats-deployment')!.data['deployment.json']);
    const services = new Map(
      objects.filter((o) => o.kind === 'Service').map((o) => [o.metadata.name, o.spec.ports[0].port]),
    );
    expect(Object.keys(file.nodes).sort()).toEqual([...COUNTRIES].sort());
    for (const [c, node] of Object.entries<any>(file.nodes)) {
      const url = new URL(node.url);
      const service = url.hostname.split('.')[0]!;
      expect(services.get(service)).toBe(Number(url.port));
      expect(node.adminToken).toBe(secret[`admin-token-${c.toLowerCase()}`]);
      expect(file.ice.nodeTokens[c]).toBe(secret[`ice-token-${c.toLowerCase()}`]);
    }
    expect(services.get(new URL(file.ice.url).hostname.split('.')[0]!)).toBe(Number(new URL(file.ice.url).port));
    expect(file.auditor.token).toBe(secret['auditor-token']);
  });
});

// The TestRun fields this project sets, as the k6-operator v1.6.0 declares them (TestRunSpec,
// K6Script, Pod); additionalProperties false, so a misspelt or unknown field fails here
// rather than being dropped by the cluster.
const EnvVar = Type.Object({ name: Type.String(), value: Type.String() }, { additionalProperties: false });
const TestRunSchema = Type.Object(
  {
    apiVersion: Type.Literal('k6.io/v1alpha1'),
    kind: Type.Literal('TestRun'),
    metadata: Type.Object({
      name: Type.String(),
      namespace: Type.String(),
      labels: Type.Record(Type.String(), Type.String()),
    }),
    spec: Type.Object(
      {
        parallelism: Type.Integer({ minimum: 1 }),
        script: Type.Union([
          Type.Object({ localFile: Type.String() }, { additionalProperties: false }),
          Type.Object(
            {
              volumeClaim: Type.Object(
                { name: Type.String(), file: Type.Optional(Type.String()), readOnly: Type.Optional(Type.Boolean()) },
                { additionalProperties: false },
              ),
            },
            { additionalProperties: false },
          ),
        ]),
        arguments: Type.String(),
        runner: Type.Object(
          {
            image: Type.String(),
            env: Type.Array(EnvVar),
            volumes: Type.Array(Type.Object({ name: Type.String() })),
            volumeMounts: Type.Array(
              Type.Object(
                { name: Type.String(), mountPath: Type.String(), readOnly: Type.Optional(Type.Boolean()) },
                { additionalProperties: false },
              ),
            ),
          },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

describe('deploy/k8s TestRuns', () => {
  for (const [file, image] of [
    ['testrun-k6.yaml', 'grafana/k6:'],
    ['testrun-engine.yaml', IMAGE],
  ] as const) {
    it(`${file}: a TestRun the k6-operator takes, running ctd-peak on ${image.startsWith('grafana') ? 'real k6' : 'the engine'}`, () => {
      const [run] = load(file);
      expect([...Value.Errors(TestRunSchema, run)].map((e) => `${e.path} ${e.message}`)).toEqual([]);
      expect(run!.spec.runner.image.startsWith(image)).toBe(true);
      const script = run!.spec.script.localFile ?? `/test/${run!.spec.script.volumeClaim.file}`;
      // Where the runner finds the script: in the image (/app) or on the data claim the operator mounts at /test.
      expect(script.replace(/^\/(app|test)\//, '')).toBe('scenarios/ctd-peak.js');
      expect(existsSync(`${root}scenarios/ctd-peak.js`)).toBe(true);
      const claimRoot = run!.spec.script.volumeClaim ? '/test' : '/data';
      expect(run!.spec.arguments).toContain(`-e DATASET=${claimRoot}/data-set`);
      const pod = podSpecs().find((p) => p.owner.kind === 'Job')!.pod;
      // The data-set Job writes the data set where the runners read it.
      expect(pod.containers[0].command.join(' ')).toContain('--out /data/data-set');
    });
  }
});

describe('deploy/Dockerfile', () => {
  const dockerfile = readFileSync(`${root}deploy/Dockerfile`, 'utf8');

  it('installs from the lock file and copies every folder the CLI loads at run time', () => {
    expect(dockerfile).toMatch(/COPY package\.json package-lock\.json/);
    expect(dockerfile).toMatch(/RUN npm ci --omit=dev/);
    const copied = [...dockerfile.matchAll(/^COPY (\S+) \.\/\1$/gm)].map((m) => m[1]);
    // The folders the CLI's modules import from (tests and benches aside).
    for (const dir of ['bin', 'harness', 'reference', 'generators', 'scenarios', 'dashboards'])
      expect(copied, dir).toContain(dir);
    for (const [, target] of dockerfile.matchAll(/ln -s \/app\/(\S+)/g))
      expect(existsSync(`${root}${target}`)).toBe(true);
  });

  it('runs the engine as `k6`, the command the k6-operator calls its runners by', () => {
    expect(dockerfile).toContain('ln -s /app/bin/k6.js /usr/local/bin/k6');
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "\/app\/bin\/cats-stress\.js"\]$/m);
  });
});
