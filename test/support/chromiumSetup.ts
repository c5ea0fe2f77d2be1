import { chromiumPath } from './browser.js';

/** Vitest global setup: unpack Chromium once, before test files that launch it run in parallel. */
export default async function setup(): Promise<void> {
  await chromiumPath();
}
