// `cats-stress stress` as a user runs it: a child process with its own embedded
// PostgreSQL (DATABASE_URL cleared), results and state in the given folders.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export function stressCli(
  folders: { results: string; state: string },
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const child = spawn(
      process.execPath,
      ['bin/cats-stress.js', 'stress', '--results', folders.results, '--state-dir', folders.state, ...args],
      { cwd: root, env },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    // 'close', not 'exit': the output streams may still hold the last lines at exit.
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
