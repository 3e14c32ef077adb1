// Starts the system's Prometheus (Debian package `prometheus`) on loopback for a
// deployment: the generated scrape config, the remote-write receiver the
// engine (and real k6) push to, native histograms on, data under the
// deployment's state folder. `cats-stress observe` and `up --observability` use it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from '../reference/net/free-port.ts';
import { prometheusConfig, type ScrapedDeployment } from './prometheus-config.ts';

export interface PrometheusOptions {
  deployment: ScrapedDeployment;
  /** Folder for the config and the TSDB (e.g. .cats-stress/prometheus). */
  dataDir: string;
  /** Loopback port; 0 or absent picks a free one. 9090 is where k6's output writes by default. */
  port?: number;
  scrapeInterval?: string;
  /** Default: PROMETHEUS_BIN, else /usr/bin/prometheus, else `prometheus` on PATH. */
  binary?: string;
  /** How long to keep samples (Prometheus duration), default 15d. */
  retention?: string;
  /** Receives Prometheus' own log lines (default: dropped; the last ones are kept for errors). */
  log?: (line: string) => void;
}

export interface RunningPrometheus {
  /** http://127.0.0.1:PORT */
  url: string;
  /** The remote-write endpoint: what K6_PROMETHEUS_RW_SERVER_URL must say. */
  remoteWriteUrl: string;
  /** Environment for a run whose `--out experimental-prometheus-rw` should write here. */
  env: { K6_PROMETHEUS_RW_SERVER_URL: string };
  configFile: string;
  pid: number;
  /** Settles when the Prometheus process ends (by stop() or on its own), with its exit code. */
  exited: Promise<number | null>;
  /** Rewrites the scrape config for a changed deployment and makes Prometheus reload it. */
  reload(deployment: ScrapedDeployment): Promise<void>;
  stop(): Promise<void>;
}

export class PrometheusNotInstalled extends Error {
  constructor() {
    super(
      'no Prometheus binary: install the Debian/Ubuntu package (apt-get install -y --no-install-recommends prometheus), ' +
        'or set PROMETHEUS_BIN to a prometheus 2.40+ executable',
    );
  }
}

/** The Prometheus executable to run, or undefined when none is installed. */
export function findPrometheus(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.PROMETHEUS_BIN) return existsSync(env.PROMETHEUS_BIN) ? env.PROMETHEUS_BIN : undefined;
  if (existsSync('/usr/bin/prometheus')) return '/usr/bin/prometheus';
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'prometheus');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** Waits for /-/ready; `ended` says why the process is gone, once it is. */
async function waitReady(url: string, ended: () => string | undefined, lastLines: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const reason = ended();
    if (reason) throw new Error(`${reason}:\n${lastLines()}`);
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`prometheus at ${url} not ready after ${READY_TIMEOUT_MS / 1000} s:\n${lastLines()}`);
}

export async function startPrometheus(opts: PrometheusOptions): Promise<RunningPrometheus> {
  const binary = opts.binary ?? findPrometheus();
  if (!binary) throw new PrometheusNotInstalled();
  const dataDir = path.resolve(opts.dataDir);
  const configFile = path.join(dataDir, 'prometheus.yml');
  await mkdir(path.join(dataDir, 'tsdb'), { recursive: true });
  await writeFile(configFile, prometheusConfig(opts.deployment, { scrapeInterval: opts.scrapeInterval }));
  const port = opts.port || (await freePort());
  const url = `http://127.0.0.1:${port}`;

  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dataDir, 'tsdb')}`,
      `--storage.tsdb.retention.time=${opts.retention ?? '15d'}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      '--web.enable-lifecycle',
      '--enable-feature=native-histograms',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const tail: string[] = [];
  const onLine = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 20) tail.shift();
      opts.log?.(line);
    }
  };
  child.stdout?.on('data', onLine);
  child.stderr?.on('data', onLine);
  let ended: string | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      ended ??= `prometheus exited (${code ?? signal}) on start-up`;
      resolve(code);
    });
    child.once('error', (err) => {
      ended = `cannot run ${binary}: ${err.message}`;
      resolve(null);
    });
  });

  const stop = async () => {
    if (ended) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitReady(
      url,
      () => ended,
      () => tail.join('\n'),
    );
  } catch (err) {
    await stop();
    throw err;
  }
  const remoteWriteUrl = `${url}/api/v1/write`;
  return {
    url,
    remoteWriteUrl,
    env: { K6_PROMETHEUS_RW_SERVER_URL: remoteWriteUrl },
    configFile,
    pid: child.pid ?? 0,
    exited,
    async reload(deployment) {
      await writeFile(configFile, prometheusConfig(deployment, { scrapeInterval: opts.scrapeInterval }));
      const res = await fetch(`${url}/-/reload`, { method: 'POST' });
      const text = await res.text();
      if (!res.ok) throw new Error(`prometheus refused the new config: ${text.trim()}`);
    },
    stop,
  };
}
