// A report page opened in the Debian Chromium through playwright-core, offline:
// any request that leaves file:// is recorded as a problem, with console errors.
import { existsSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';

// Debian's chromium, headless, with no network of its own.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Opens `file` and hands the page to `inspect`; returns what inspect returns and the page's problems. */
export async function inChromium<T>(
  file: string,
  inspect: (page: Page) => Promise<T>,
): Promise<{ result: T; problems: string[] }> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} missing: apt-get install -y --no-install-recommends chromium`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1200 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => !r.url().startsWith('file:') && problems.push(`network: ${r.url()}`));
    await page.goto(`file://${file}`);
    return { result: await inspect(page), problems };
  } finally {
    await browser.close();
  }
}
