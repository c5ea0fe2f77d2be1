import { execFileSync } from 'node:child_process';

/** vitest globalSetup: workspace snapshots need git; install the Debian package when it is missing (CI runs as root). */
export default function requireGit(): void {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return;
  } catch {
    // not installed
  }
  try {
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'git'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch (error) {
    throw new Error(`the tests need git (workspace snapshots) and could not install it with apt-get: ${(error as Error).message}. Install git and run again.`);
  }
}
