// `cats-stress down`: stops the deployment `up` started and removes its file.
import path from 'node:path';
import type { Command } from '../cli.ts';
import { DEFAULT_DEPLOYMENT_FILE, readDeployment } from '../deploy/deployment-file.ts';
import { stopDeployment } from '../deploy/stop.ts';
import { parseFlags } from '../flags.ts';

const usage = `usage: cats-stress down [--deployment FILE]

Stops every part of the deployment described by FILE (default
${DEFAULT_DEPLOYMENT_FILE}): nodes and ICE get SIGTERM (SIGKILL after a
timeout), the embedded PostgreSQL is stopped and its data removed, and the file
is deleted. Logs are kept.`;

export const command: Command = {
  name: 'down',
  summary: 'stop the deployment started by up',
  usage,
  async run(argv) {
    const { values } = parseFlags({
      args: argv,
      options: { deployment: { type: 'string', default: DEFAULT_DEPLOYMENT_FILE } },
    });
    const file = values.deployment as string;
    const d = await readDeployment(file);
    if (!d) {
      console.log(`nothing to stop: no deployment file ${path.resolve(file)}`);
      return 0;
    }
    await stopDeployment(d, file, (l) => console.log(l));
    console.log('deployment stopped');
    return 0;
  },
};
