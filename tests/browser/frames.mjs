// The preview's frames in a real browser: loads one page (file:// or http://127.0.0.1) in Debian's
// headless Chromium and prints, as JSON, each <iframe>'s src, the title and language of the
// document it shows, the colour of that document's body text (so: whether its stylesheet
// applied), the stylesheets and fonts it loaded, and every console error or CSP violation of the
// page and its frames.
//
//   node tests/browser/frames.mjs [--chromium PATH] URL

import { withChromium } from "./launch.mjs";

const argv = process.argv.slice(2);
let chromium = "/usr/bin/chromium";
if (argv[0] === "--chromium") {
  chromium = argv[1];
  argv.splice(0, 2);
}
if (argv.length !== 1) {
  process.stderr.write("usage: node frames.mjs [--chromium PATH] URL\n");
  process.exit(2);
}
const url = argv[0];

try {
  await withChromium(chromium, "frames", async (browser) => {
  const page = await browser.newPage();
  await page.setViewport({ width: 1600, height: 1200 });
  const errors = [];
  const loaded = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("requestfinished", (request) => {
    const response = request.response();
    loaded.push({ url: request.url(), status: response ? response.status() : 0,
      type: response ? (response.headers()["content-type"] ?? "") : "" });
  });
  page.on("requestfailed", (request) => errors.push(`failed: ${request.url()}`));
  // Not "networkidle": a served preview asks for its version every half second.
  await page.goto(url, { waitUntil: "load" });
  const frames = [];
  for (const element of await page.$$("iframe")) {
    const src = await element.evaluate((f) => f.getAttribute("src"));
    await element.scrollIntoView(); // a lazy frame loads once near the viewport
    // (through the DevTools protocol: a file:// frame is another origin to its page's scripts)
    let frame = null;
    try {
      for (let tries = 0; tries < 300; tries++) { // 30 s
        frame = await element.contentFrame();
        const ready = frame === null ? false : await frame.evaluate(() => document.readyState
          === "complete" && location.href !== "about:blank").catch(() => false);
        if (ready) break;
        frame = null;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      if (frame !== null) await frame.evaluate(() => document.fonts.ready.then(() => true));
    } catch (error) {
      errors.push(`frame ${src}: ${error}`);
    }
    if (frame === null) errors.push(`frame ${src} did not load`);
    const shown = frame === null ? null : await frame.evaluate(() => ({
      url: location.href,
      title: document.title,
      lang: document.documentElement.lang,
      color: getComputedStyle(document.body).color,
      fonts: Array.from(document.fonts).filter((f) => f.status === "loaded").map((f) => f.family),
    }));
    frames.push({ src, shown });
  }
  process.stdout.write(JSON.stringify({ page: url, frames, loaded, errors }, null, 1) + "\n");
  });
} catch (error) {
  process.stderr.write(`frames.mjs: ${error && error.stack ? error.stack : error}\n`);
  process.exitCode = 1;
}
