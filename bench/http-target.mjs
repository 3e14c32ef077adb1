// The benchmarks' trivial HTTP target: answers every request with a 2-byte body, counts them, and reports
// the count to its parent over IPC ({ type: 'count' } → { count }).
import { createServer } from 'node:http';

let count = 0;
const server = createServer((_req, res) => {
  count++;
  res.end('ok');
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: server.address().port });
});
process.on('message', (m) => {
  if (m?.type === 'count') process.send?.({ type: 'count', count });
});
process.on('disconnect', () => process.exit(0));
