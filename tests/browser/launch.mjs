// Debian's Chromium, headless, with a fresh profile: what every browser check here starts
// (the flags keep it off the network this machine closes; puppeteer-core downloads no browser).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import puppeteer from "puppeteer-core";

export const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"];

// Run `work(browser)` in a browser started for it; the browser and its profile go afterwards.
export async function withChromium(executablePath, name, work, options = {}) {
  const profile = mkdtempSync(path.join(tmpdir(), `brief-${name}-chromium-`));
  let browser;
  try {
    browser = await puppeteer.launch({
      executablePath, headless: true, userDataDir: profile, args: FLAGS, ...options,
    });
    return await work(browser);
  } finally {
    if (browser !== undefined) await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
