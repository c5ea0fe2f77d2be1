import { execFileSync } from 'node:child_process';

/** Commands the tests run for real, and the Debian package of each. */
const TOOLS: Record<string, string> = {
  bwrap: 'bubblewrap', // the shell sandbox
  git: 'git', // workspace snapshots, diffs and revert
};

/**
 * vitest globalSetup: the shell tests run real bubblewrap and the snapshot tests real git. On a fresh Debian
 * machine (we run as root) what is missing is installed here; elsewhere the run stops with the command to run.
 */
export default function installSystemTools(): void {
  const missing = Object.entries(TOOLS)
    .filter(([command]) => !has(command))
    .map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || !has('apt-get')) {
    throw new Error(`the tests need ${missing.join(' and ')}: install them, e.g. \`apt-get install ${missing.join(' ')}\``);
  }
  console.error(`installing the Debian packages ${missing.join(', ')} (apt-get update && apt-get install -y ${missing.join(' ')})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}

function has(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
