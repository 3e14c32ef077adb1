// `cats-stress seed`: seeds the nodes of a running deployment with a data set's parties.
import type { Command } from '../cli.ts';
import { readDeploymentFile } from '../deploy/deployment-file.ts';
import { seedFromDataSet } from '../deploy/seed.ts';
import { parseFlags, UsageError } from '../flags.ts';

const usage = `usage: cats-stress seed --deployment FILE --data-set DIR

Registers a data set's operators, officers and guarantees (its fixtures.CC.ndjson)
at each node of the deployment described by FILE, through the nodes' admin route
(POST /v1/admin/fixtures with the file's admin tokens): what \`up --data-set\` does
for the reference, for a deployment started any other way (a national CATS, the
reference on Kubernetes). Seeding twice registers nothing twice.`;

export const command: Command = {
  name: 'seed',
  summary: "seed a running deployment's nodes with a data set's parties",
  usage,
  async run(argv) {
    const { values } = parseFlags({
      args: argv,
      options: { deployment: { type: 'string' }, 'data-set': { type: 'string' } },
    });
    if (!values.deployment || !values['data-set'])
      throw new UsageError('--deployment FILE and --data-set DIR are required');
    const deployment = await readDeploymentFile(values.deployment);
    const seeded = await seedFromDataSet(deployment, values['data-set']);
    if (seeded.length === 0) {
      console.error(
        `nothing seeded: the data set has fixtures for none of ${Object.keys(deployment.nodes).join(', ')}`,
      );
      return 1;
    }
    for (const s of seeded)
      console.log(`seeded ${s.country}: ${s.operators} operators, ${s.officers} officers, ${s.guarantees} guarantees`);
    return 0;
  },
};
