// A bare undici loop, the floor of any Node load generator: CONNECTIONS concurrent loops of GET on one
// Pool, for DURATION_S seconds, nothing else per request.
import { Pool } from 'undici';

const url = new URL(process.env.TARGET);
const connections = Number(process.env.CONNECTIONS ?? 50);
const end = Date.now() + Number(process.env.DURATION_S ?? 10) * 1000;
const pool = new Pool(url.origin, { connections });
let requests = 0;

async function loop() {
  while (Date.now() < end) {
    const res = await pool.request({ path: url.pathname, method: 'GET' });
    await res.body.text();
    requests++;
  }
}

await Promise.all(Array.from({ length: connections }, loop));
await pool.close();
console.log(JSON.stringify({ requests }));
