/**
 * Headless Chromium (Debian's `chromium`, driven by puppeteer-core) as the scan tests and the
 * screenshot script use it: a fresh profile folder per launch, and nothing that phones home
 * (no component updates, sync or background networking), so a run is the same offline.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser } from "puppeteer-core";

export const CHROMIUM = "/usr/bin/chromium";

export interface Chromium {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Chromium> {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (npm run setup does)`);
  const profile = mkdtempSync(join(tmpdir(), "media-scan-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Under a loaded CI machine the first start can take well over puppeteer's 30 s default.
    timeout: 180_000,
    protocolTimeout: 300_000,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
