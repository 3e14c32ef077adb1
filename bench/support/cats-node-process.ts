// A national node in its own process for benchmarks: `tsx cats-node-process.ts COUNTRY DATABASE_URL POOL_SIZE ADMIN_TOKEN`.
// Prints one JSON line {url} when listening; stops on SIGTERM.
import { startNode } from '../../reference/cats/start.ts';

const [country, databaseUrl, poolSize, adminToken] = process.argv.slice(2);
const node = await startNode({ country: country!, databaseUrl: databaseUrl!, poolSize: Number(poolSize), adminToken });
console.log(JSON.stringify({ url: node.url }));
process.once('SIGTERM', () => void node.close().then(() => process.exit(0)));
