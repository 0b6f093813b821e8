// What a page draws, for tests of its design: loads one page (file://) in Debian's headless
// Chromium at a width and prints, as JSON, for each CSS selector given, each element's box
// (x, y, width, height), its computed font-weight, font-family and white-space, the number of
// lines it takes, and the fonts the page loaded (document.fonts: family, weight, style, status).
//
//   node tests/browser/boxes.mjs [--chromium PATH] [--width PX] URL SELECTOR...

import { withChromium } from "./launch.mjs";

const argv = process.argv.slice(2);
let chromium = "/usr/bin/chromium";
let width = 1280;
while (argv[0]?.startsWith("--")) {
  if (argv[0] === "--chromium") chromium = argv[1];
  else if (argv[0] === "--width") width = Number(argv[1]);
  else { process.stderr.write(`unknown option ${argv[0]}\n`); process.exit(2); }
  argv.splice(0, 2);
}
if (argv.length < 1) {
  process.stderr.write("usage: node boxes.mjs [--chromium PATH] [--width PX] URL SELECTOR...\n");
  process.exit(2);
}
const [url, ...selectors] = argv;
await withChromium(chromium, "boxes", async (browser) => {
  const page = await browser.newPage();
  await page.setViewport({ width, height: 900 });
  await page.goto(url, { waitUntil: "load" });
  const result = await page.evaluate(async (selectors) => {
    await document.fonts.ready;
    const found = {};
    for (const selector of selectors) {
      found[selector] = [...document.querySelectorAll(selector)].map((element) => {
        const box = element.getBoundingClientRect();
        const style = getComputedStyle(element);
        return { x: box.x, y: box.y, width: box.width, height: box.height,
          lines: element.getClientRects().length, weight: style.fontWeight,
          family: style.fontFamily, whiteSpace: style.whiteSpace, text: element.textContent };
      });
    }
    const fonts = [...document.fonts].map((f) => ({ family: f.family, weight: f.weight,
      style: f.style, status: f.status }));
    return { boxes: found, fonts };
  }, selectors);
  process.stdout.write(JSON.stringify(result));
});
