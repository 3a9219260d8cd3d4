/** Debian's chromium driven by puppeteer-core, for the viewer's browser tests and screenshots. */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';
import { CHROMIUM } from '../../../harness/cli/commands/setup.ts';

/** Starts a headless chromium; fails, saying what to run, when setup has not installed it. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`chromium is missing at ${CHROMIUM}: run \`bin/harness setup\` first`);
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Running as root in a container: chromium's own sandbox needs user namespaces it may not have.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}
