import { execFileSync } from 'node:child_process';

/**
 * vitest globalSetup: the shell tests run real bubblewrap. On a fresh Debian machine (we run as root) it is
 * installed here; elsewhere the run stops with the command to run.
 */
export default function installSystemTools(): void {
  if (has('bwrap')) return;
  if (process.getuid?.() !== 0 || !has('apt-get')) {
    throw new Error('the tests need bubblewrap (bwrap): install it, e.g. `apt-get install bubblewrap`');
  }
  console.error('bwrap is missing: installing the Debian package bubblewrap (apt-get update && apt-get install -y bubblewrap)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'bubblewrap'], { stdio: 'inherit', env });
}

function has(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
