// ICE as a real child process (`cats-stress ice`), for tests that kill and restart it.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/cats-stress.js', import.meta.url));

export interface IceProcess {
  url: string;
  httpUrl: string;
  child: ChildProcess;
  output: () => string;
  /** Sends the signal and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function spawnIce(args: {
  databaseUrl: string;
  port: number;
  tokens: Record<string, string>;
  extra?: string[];
}): Promise<IceProcess> {
  const child = spawn(
    process.execPath,
    [
      bin,
      'ice',
      '--database-url',
      args.databaseUrl,
      '--port',
      String(args.port),
      '--node-token',
      Object.entries(args.tokens)
        .map(([c, t]) => `${c}=${t}`)
        .join(','),
      ...(args.extra ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('ICE listening on')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`ICE exited with ${code} before listening:\n${out}`)));
    setTimeout(() => reject(new Error(`ICE did not start within 30 s:\n${out}`)), 30_000).unref();
  });
  return {
    url: `ws://127.0.0.1:${args.port}/v1/ice`,
    httpUrl: `http://127.0.0.1:${args.port}`,
    child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
