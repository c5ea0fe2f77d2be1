import sparticuzChromium from '@sparticuz/chromium';
import { chromium, type Browser } from 'playwright-core';

/**
 * Headless Chromium for the browser tests, from npm: @sparticuz/chromium ships a real Chromium (brotli-packed in
 * the package, unpacked into the temp dir on first use), so `npm ci && npm test` needs nothing installed by hand.
 * ZAGENS_CHROMIUM points at another Chromium binary instead.
 */
export async function chromiumPath(): Promise<string> {
  return process.env.ZAGENS_CHROMIUM ?? (await sparticuzChromium.executablePath());
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: await chromiumPath(),
    // Not the package's own `args`: they turn off web security (CORS), which the browser tests are there to check.
    args: [
      '--no-sandbox',
      '--no-zygote',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
