// Which revision perf-ci measures against, decided on real git repositories: a branch off
// main, main itself, a shallow clone that lacks the base, and a repository without main.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseBase, FETCH_HINT, gitFacts, resolveCommit } from './base-revision.ts';

let dir: string;
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
const sha: Record<string, string> = {};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'perf-base-'));
  const repo = path.join(dir, 'repo');
  git(dir, 'init', '-q', '-b', 'main', repo);
  for (const n of [1, 2, 3]) {
    await writeFile(path.join(repo, 'file.txt'), `main ${n}\n`);
    git(repo, 'add', 'file.txt');
    git(repo, 'commit', '-qm', `main ${n}`);
    sha[`main${n}`] = git(repo, 'rev-parse', 'HEAD');
  }
  git(repo, 'checkout', '-q', '-b', 'feature', sha.main2!);
  for (const n of [1, 2]) {
    await writeFile(path.join(repo, 'feature.txt'), `feature ${n}\n`);
    git(repo, 'add', 'feature.txt');
    git(repo, 'commit', '-qm', `feature ${n}`);
  }
  sha.feature = git(repo, 'rev-parse', 'HEAD');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('chooseBase', () => {
  it('takes the merge base of a branch with main', async () => {
    const facts = await gitFacts(path.join(dir, 'repo'));
    expect(facts).toEqual({ head: sha.feature, mainRef: 'main', mergeBase: sha.main2, shallow: false });
    expect(chooseBase(undefined, facts!)).toEqual({ ref: sha.main2, reason: 'merge base of HEAD and main' });
    expect(chooseBase('v1.2', facts!)).toEqual({ ref: 'v1.2', reason: '--base v1.2' });
  });

  it("takes HEAD's parent on main itself", async () => {
    const repo = path.join(dir, 'repo');
    git(repo, 'checkout', '-q', 'main');
    try {
      const facts = await gitFacts(repo);
      expect(facts?.mergeBase).toBe(sha.main3);
      const choice = chooseBase(undefined, facts!);
      expect(choice).toEqual({ ref: 'HEAD~1', reason: 'HEAD is on main: its parent' });
      expect(await resolveCommit(repo, 'HEAD~1', false)).toEqual({ sha: sha.main2 });
    } finally {
      git(repo, 'checkout', '-q', 'feature');
    }
  });

  it('prefers origin/main, and says how to fetch the base in a shallow clone', async () => {
    const clone = path.join(dir, 'shallow');
    git(dir, 'clone', '-q', '--depth', '1', '--branch', 'feature', `file://${path.join(dir, 'repo')}`, clone);
    const facts = await gitFacts(clone);
    expect(facts?.shallow).toBe(true);
    expect(facts?.head).toBe(sha.feature);
    // Only the feature branch was fetched: no main, no merge base.
    const choice = chooseBase(undefined, facts!);
    expect('error' in choice && choice.error).toContain('git fetch --unshallow');
    const missing = await resolveCommit(clone, 'HEAD~1', true);
    expect(missing).toEqual({ error: `the base revision HEAD~1 is not in this shallow clone; ${FETCH_HINT}` });

    git(clone, 'fetch', '-q', '--depth', '1', 'origin', 'main:refs/remotes/origin/main');
    const fetched = await gitFacts(clone);
    expect(fetched?.mainRef).toBe('origin/main');
    // Both tips are there, but not the history that joins them.
    expect(fetched?.mergeBase).toBeUndefined();
    const again = chooseBase(undefined, fetched!);
    expect('error' in again && again.error).toContain('git fetch --deepen');

    git(clone, 'fetch', '-q', '--unshallow', 'origin');
    const full = await gitFacts(clone);
    expect(full).toMatchObject({ shallow: false, mainRef: 'origin/main', mergeBase: sha.main2 });
  });

  it('asks for --base without a main branch, and refuses what is not a commit', async () => {
    const other = path.join(dir, 'other');
    git(dir, 'init', '-q', '-b', 'trunk', other);
    await writeFile(path.join(other, 'a.txt'), 'a\n');
    git(other, 'add', 'a.txt');
    git(other, 'commit', '-qm', 'a');
    const facts = await gitFacts(other);
    expect(facts?.mainRef).toBeUndefined();
    const choice = chooseBase(undefined, facts!);
    expect('error' in choice && choice.error).toMatch(/no main branch .* pass --base REF/);
    expect(await resolveCommit(other, 'no-such-ref', false)).toEqual({
      error: 'the base revision no-such-ref is not a commit in this repository',
    });
    expect(await gitFacts(dir)).toBeUndefined();
  });
});
