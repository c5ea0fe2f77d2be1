import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath } from './browser.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Vitest global setup, once before the test files run in parallel: builds `dist/server` from the current sources
 * (the process tests run it, as `npm start` does) and unpacks Chromium for the browser tests.
 */
export default async function setup(): Promise<void> {
  execFileSync('npm', ['run', '--silent', 'build:server'], { cwd: ROOT, stdio: 'inherit' });
  await chromiumPath();
}
