import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Limits of one shell command, over all the processes it starts. */
export interface ResourceLimits {
  /** Memory charged to the command (resident pages, page cache, tmpfs files); past it the kernel OOM-kills one. */
  memoryBytes: number;
  /** Processes and threads alive at once; past it fork/clone fails with EAGAIN. */
  maxProcesses: number;
}

export const DEFAULT_RESOURCE_LIMITS: ResourceLimits = { memoryBytes: 2 * 1024 ** 3, maxProcesses: 512 };

/**
 * How the limits are enforced here: a cgroup per command (v2 with memory+pids, or the v1 memory and pids
 * hierarchies), else only per-process rlimits (address space; the process count is then not limited for root).
 */
export type LimitMechanism = 'cgroup-v2' | 'cgroup-v1' | 'rlimit';

export interface LimitSupport {
  mechanism: LimitMechanism;
  /** Where command cgroups are made: one directory (v2) or the memory and pids directories (v1). */
  parents: { memory: string; pids: string } | null;
  /** Why cgroups are not used, when they are not. */
  problem: string | null;
}

/** A command's cgroup: the files the launcher writes its pid into, and the cleanup that kills what is left. */
export interface CommandCgroup {
  procsFiles: string[];
  dispose(): Promise<void>;
}

let counter = 0;

/** Reads /proc/self/cgroup and mountinfo and tries to make (and remove) a probe cgroup. */
export async function detectLimitSupport(): Promise<LimitSupport> {
  const [ownText, mountText] = await Promise.all([
    readFile('/proc/self/cgroup', 'utf8').catch(() => ''),
    readFile('/proc/self/mountinfo', 'utf8').catch(() => ''),
  ]);
  const own = new Map<string, string>(); // controller ('' for v2) -> our cgroup path
  for (const line of ownText.split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    const [, controllers = '', cgroupPath = ''] = match;
    for (const controller of controllers === '' ? [''] : controllers.split(',')) own.set(controller, cgroupPath);
  }
  const mounts = new Map<string, string>(); // controller ('' for v2) -> mount point
  for (const line of mountText.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const mountPoint = left.split(' ')[4];
    if (mountPoint === undefined) continue;
    const [fsType, , superOptions = ''] = right.split(' ');
    if (fsType === 'cgroup2') mounts.set('', mountPoint);
    else if (fsType === 'cgroup')
      for (const option of superOptions.split(',')) if (option === 'memory' || option === 'pids') mounts.set(option, mountPoint);
  }
  const problems: string[] = [];

  if (mounts.has('') && own.has('')) {
    const dir = path.join(mounts.get('')!, own.get('')!);
    try {
      const controllers = (await readFile(path.join(dir, 'cgroup.controllers'), 'utf8')).split(/\s+/);
      if (!controllers.includes('memory') || !controllers.includes('pids'))
        throw new Error('the memory and pids controllers are not delegated to our cgroup');
      const enabled = (await readFile(path.join(dir, 'cgroup.subtree_control'), 'utf8')).split(/\s+/);
      if (!enabled.includes('memory') || !enabled.includes('pids')) await writeFile(path.join(dir, 'cgroup.subtree_control'), '+memory +pids');
      await probe([dir], ['memory.max', 'pids.max']);
      await removeLeftovers([dir]);
      return { mechanism: 'cgroup-v2', parents: { memory: dir, pids: dir }, problem: null };
    } catch (error) {
      problems.push(`cgroup v2 at ${dir}: ${(error as Error).message}`);
    }
  }
  if (mounts.has('memory') && mounts.has('pids')) {
    const memory = path.join(mounts.get('memory')!, own.get('memory') ?? '/');
    const pids = path.join(mounts.get('pids')!, own.get('pids') ?? '/');
    try {
      await probe([memory, pids], ['memory.limit_in_bytes', 'pids.max']);
      await removeLeftovers([memory, pids]);
      return { mechanism: 'cgroup-v1', parents: { memory, pids }, problem: null };
    } catch (error) {
      problems.push(`cgroup v1 (${memory}, ${pids}): ${(error as Error).message}`);
    }
  }
  if (problems.length === 0) problems.push('no cgroup file system with the memory and pids controllers is mounted');
  return { mechanism: 'rlimit', parents: null, problem: problems.join('; ') };
}

/** Makes a child cgroup in each directory, checks that each has one of the files named, removes them. */
async function probe(dirs: string[], files: string[]): Promise<void> {
  const name = `zagens-probe-${process.pid}-${counter++}`;
  const made: string[] = [];
  try {
    for (const dir of [...new Set(dirs)]) {
      await mkdir(path.join(dir, name));
      made.push(path.join(dir, name));
      if (!files.some((file) => existsSync(path.join(dir, name, file)))) throw new Error(`${path.join(dir, name)} has none of ${files.join(', ')}`);
    }
  } finally {
    // Probe groups are empty: a removal that fails leaves an empty group, removed as a leftover at the next start.
    for (const dir of made) await rmdir(dir).catch(() => undefined);
  }
}

/** Cgroups a killed server left behind (its processes died with it: --die-with-parent); empty ones go. */
async function removeLeftovers(dirs: string[]): Promise<void> {
  for (const dir of new Set(dirs)) {
    for (const name of await readdir(dir).catch(() => [])) {
      const owner = /^zagens-(?:cmd|probe)-(\d+)-\d+$/.exec(name)?.[1];
      // Best effort: a group still in use (or gone meanwhile) is left for the next start.
      if (owner && Number(owner) !== process.pid && !existsSync(`/proc/${owner}`)) await rmdir(path.join(dir, name)).catch(() => undefined);
    }
  }
}

/** A fresh cgroup with the limits set, or null when only rlimits are available. */
export async function createCommandCgroup(support: LimitSupport, limits: ResourceLimits): Promise<CommandCgroup | null> {
  if (!support.parents) return null;
  const name = `zagens-cmd-${process.pid}-${counter++}`;
  if (support.mechanism === 'cgroup-v2') {
    const dir = path.join(support.parents.memory, name);
    await mkdir(dir);
    try {
      await writeFile(path.join(dir, 'memory.max'), String(limits.memoryBytes));
      if (existsSync(path.join(dir, 'memory.swap.max'))) await writeFile(path.join(dir, 'memory.swap.max'), '0');
      await writeFile(path.join(dir, 'pids.max'), String(limits.maxProcesses));
    } catch (error) {
      await rmdir(dir).catch(() => undefined); // the setup error is the one to report; an empty group left is removed at the next start
      throw error;
    }
    return { procsFiles: [path.join(dir, 'cgroup.procs')], dispose: () => removeCgroups([dir], true) };
  }
  const memory = path.join(support.parents.memory, name);
  const pids = path.join(support.parents.pids, name);
  await mkdir(memory);
  try {
    await mkdir(pids);
    await writeFile(path.join(memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
    // With swap, the limit would only cover resident memory.
    if (existsSync(path.join(memory, 'memory.memsw.limit_in_bytes')))
      await writeFile(path.join(memory, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes));
    await writeFile(path.join(pids, 'pids.max'), String(limits.maxProcesses));
  } catch (error) {
    await removeCgroups([memory, pids], false);
    throw error;
  }
  return { procsFiles: [path.join(memory, 'cgroup.procs'), path.join(pids, 'cgroup.procs')], dispose: () => removeCgroups([memory, pids], false) };
}

/** Kills every process still in the cgroups (background processes that outlived the command), then removes them. */
async function removeCgroups(dirs: string[], hasKillFile: boolean): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    let left = 0;
    for (const dir of dirs) {
      if (!existsSync(dir)) continue;
      if (hasKillFile && existsSync(path.join(dir, 'cgroup.kill'))) await writeFile(path.join(dir, 'cgroup.kill'), '1').catch(() => undefined); // the SIGKILL loop below covers it
      const pids = (await readFile(path.join(dir, 'cgroup.procs'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
      for (const pid of pids) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // already gone
        }
      }
      try {
        await rmdir(dir);
      } catch {
        left++;
      }
    }
    if (left === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The launcher: a POSIX shell that moves itself into the command's cgroups (or sets the rlimits) and then
 * execs the command, so every process the command starts is counted from the first one.
 */
export function limitedLaunch(cgroup: CommandCgroup | null, limits: ResourceLimits, argv: string[]): { file: string; args: string[] } {
  if (cgroup) {
    const script = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n-1)); done; exec "$@"';
    return { file: '/bin/sh', args: ['-c', script, 'launcher', String(cgroup.procsFiles.length), ...cgroup.procsFiles, ...argv] };
  }
  // Without cgroups: each process may map at most the memory limit; RLIMIT_NPROC does not bind root.
  const script = 'ulimit -v "$1" 2>/dev/null; ulimit -u "$2" 2>/dev/null; shift 2; exec "$@"';
  return { file: '/bin/sh', args: ['-c', script, 'launcher', String(Math.floor(limits.memoryBytes / 1024)), String(limits.maxProcesses), ...argv] };
}
