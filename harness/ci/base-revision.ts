// The revision a pull request is measured against, checked out and installed beside the
// checkout: by default the merge base with the main branch (or HEAD~1 on main itself), as a
// detached git worktree under .cats-stress/perf-base/<sha> with its own `npm ci`, kept
// between runs so a CI cache of that folder saves the install.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Branches tried, in order, as "the main branch". */
export const MAIN_REFS = ['origin/main', 'main'];

export interface GitFacts {
  /** Commit of HEAD. */
  head: string;
  /** The first of {@link MAIN_REFS} that exists. */
  mainRef?: string;
  /** `git merge-base HEAD <mainRef>`, when git could find one. */
  mergeBase?: string;
  /** A shallow clone lacks history: a missing base may only need fetching. */
  shallow: boolean;
}

export type BaseChoice = { ref: string; reason: string } | { error: string };

export const FETCH_HINT =
  'fetch more history first: git fetch --deepen=100 origin main (or git fetch --unshallow); in GitHub Actions, actions/checkout with fetch-depth: 0';

/** Which revision to measure against: the one asked for, else the merge base with main, else HEAD~1 on main. */
export function chooseBase(requested: string | undefined, facts: GitFacts): BaseChoice {
  if (requested) return { ref: requested, reason: `--base ${requested}` };
  if (!facts.mainRef)
    return {
      error: `no main branch (${MAIN_REFS.join(' or ')}) to find the merge base with; pass --base REF${facts.shallow ? `, or ${FETCH_HINT}` : ''}`,
    };
  if (!facts.mergeBase)
    return {
      error: `HEAD and ${facts.mainRef} have no merge base in this clone; ${facts.shallow ? FETCH_HINT : 'pass --base REF'}`,
    };
  if (facts.mergeBase === facts.head) return { ref: 'HEAD~1', reason: `HEAD is on ${facts.mainRef}: its parent` };
  return { ref: facts.mergeBase, reason: `merge base of HEAD and ${facts.mainRef}` };
}

async function git(cwd: string, ...args: string[]): Promise<string | undefined> {
  try {
    return (await run('git', args, { cwd, maxBuffer: 1 << 20 })).stdout.trim();
  } catch {
    return undefined;
  }
}

export async function gitFacts(repo: string): Promise<GitFacts | undefined> {
  const head = await git(repo, 'rev-parse', '--verify', '--quiet', 'HEAD^{commit}');
  if (!head) return undefined;
  let mainRef: string | undefined;
  for (const ref of MAIN_REFS)
    if (await git(repo, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`)) {
      mainRef = ref;
      break;
    }
  const mergeBase = mainRef ? await git(repo, 'merge-base', 'HEAD', mainRef) : undefined;
  const shallow = (await git(repo, 'rev-parse', '--is-shallow-repository')) === 'true';
  return { head, mainRef, mergeBase: mergeBase || undefined, shallow };
}

/** The commit a ref names, or an error that says how to get it into a shallow clone. */
export async function resolveCommit(
  repo: string,
  ref: string,
  shallow: boolean,
): Promise<{ sha: string } | { error: string }> {
  const sha = await git(repo, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
  if (sha) return { sha };
  return {
    error: shallow
      ? `the base revision ${ref} is not in this shallow clone; ${FETCH_HINT}`
      : `the base revision ${ref} is not a commit in this repository`,
  };
}

export async function repoRoot(dir: string): Promise<string | undefined> {
  return git(dir, 'rev-parse', '--show-toplevel');
}

const READY = '.perf-base-ready';

/** Where a base revision is checked out: inside the checkout's ignored .cats-stress folder. */
export function baseWorktreeDir(repo: string, sha: string): string {
  return path.join(repo, '.cats-stress', 'perf-base', sha);
}

/**
 * Checks out `sha` as a detached worktree and installs its dependencies, unless a previous
 * run left a complete one. Returns its folder; throws with git's or npm's own words.
 */
export async function prepareBaseWorktree(repo: string, sha: string, say: (line: string) => void): Promise<string> {
  const dir = baseWorktreeDir(repo, sha);
  if (existsSync(path.join(dir, READY))) {
    say(`base ${sha.slice(0, 12)}: reusing ${path.relative(repo, dir)}`);
    return dir;
  }
  // A half-made worktree from an interrupted run is made again.
  if (existsSync(dir)) {
    await run('git', ['worktree', 'remove', '--force', dir], { cwd: repo }).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    await run('git', ['worktree', 'prune'], { cwd: repo }).catch(() => undefined);
  }
  await mkdir(path.dirname(dir), { recursive: true });
  say(`base ${sha.slice(0, 12)}: git worktree add --detach ${path.relative(repo, dir)}`);
  await run('git', ['worktree', 'add', '--detach', dir, sha], { cwd: repo, maxBuffer: 1 << 24 });
  say(`base ${sha.slice(0, 12)}: npm ci`);
  await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, maxBuffer: 1 << 26 });
  await writeFile(path.join(dir, READY), `${new Date().toISOString()}\n`);
  return dir;
}
