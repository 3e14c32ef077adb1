// ICE in its own process for benchmarks, as `cats-stress ice` runs it; its database URL
// goes through the environment, as a deployment passes it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export async function startIceProcess(databaseUrl: string, port: number, tokens: Record<string, string>) {
  const bin = fileURLToPath(new URL('../../bin/cats-stress.js', import.meta.url));
  const tokenArg = Object.entries(tokens)
    .map(([c, t]) => `${c}=${t}`)
    .join(',');
  const child = spawn(process.execPath, [bin, 'ice', '--port', String(port), '--node-token', tokenArg], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('ICE listening on')) {
        child.stdout.off('data', onData);
        child.stdout.resume(); // ICE logs every refused attempt; drained, not kept
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', () => reject(new Error(`ICE exited:\n${out}`)));
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
