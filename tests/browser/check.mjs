// The web edition in a real browser: Debian's headless Chromium, driven by puppeteer-core, checks
// each local HTML page given on the command line and prints one JSON report on stdout.
//
//   node tests/browser/check.mjs [--chromium PATH] [--root DIR] PAGE.html [[--root DIR] PAGE.html ...]
//
// For each page:
//   axe          axe-core violations of WCAG 2.0/2.1 A and AA and 2.2 AA (id, impact, help, targets),
//                with axe's experimental WCAG rules (tables) and the best-practice rules the issue
//                asks for by name (heading-order, skip-link) switched on, and one house rule
//                (brief-th-scope: every table header cell has a scope)
//   requests     every request that leaves the folder tree (the --root given last before the
//                page, else the page's own folder)
//                or goes to another scheme or host; `failed`: requests that did not load
//   csp          Content-Security-Policy violations (`securitypolicyviolation` events, and the
//                console's CSP messages)
//   console      other console errors and uncaught exceptions
//   reflow       at a 320 px wide viewport: scrollWidth > innerWidth means horizontal scrolling
//                (WCAG 1.4.10); the elements that stick out
//   footnotes    each a[role=doc-noteref] followed by a real click: the target (`:target`,
//                location.hash) lies inside [role=doc-endnotes], its a[role=doc-backlink] to this
//                call leads back to this very call; `problems` lists what failed
//   fragments    every href="#…" of the page that names no element (`broken`)
//   focus        the first link reached by pressing Tab: its outline and box-shadow unfocused
//                and focused; `visible` when focus draws an outline or a shadow
//
// Exit status: 0 when every page was checked (whatever it found), 2 for a usage error, 1 when the
// browser could not check a page (the reason on stderr). The findings are judged by the caller
// (tests/browser_check.py).

import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { withChromium } from "./launch.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
// Rules axe-core files under WCAG 2 A but keeps "experimental" (off unless asked for): a table
// whose data cells have no header, a caption faked by a cell, a paragraph styled as a heading.
const AXE_EXPERIMENTAL = ["td-has-header", "table-fake-caption", "p-as-heading"];
// axe's "best practice" rules for what issue 21 asks of the page by name: headings in order, a
// skip link that leads somewhere.
const AXE_ASKED = ["heading-order", "skip-link"];
// The house's own rule, run by axe beside its own: every header cell of a table says what it heads
// (scope="col"/"row"/"colgroup"/"rowgroup"), or the table's cells name their headers (headers=…).
// Browsers guess the headers of a simple table without it; the issue asks for header scopes, and
// a guess is what a table with a header column and a header row gets wrong.
const HOUSE_RULE = "brief-th-scope";
const DESKTOP = { width: 1280, height: 900 };
const NARROW = { width: 320, height: 640 }; // WCAG 1.4.10: 320 CSS pixels
const TIMEOUT = 30_000;

function usage(message) {
  process.stderr.write(`check.mjs: ${message}\n` +
    "usage: node check.mjs [--root DIR] [--chromium PATH] PAGE.html [PAGE.html ...]\n");
  process.exit(2);
}

function parseArguments(argv) {
  const options = { root: null, chromium: "/usr/bin/chromium", pages: [] };
  // each page is judged against the --root given last before it
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (argument === "--root" || argument === "--chromium") {
      if (i + 1 >= argv.length) usage(`${argument} needs a value`);
      options[argument.slice(2)] = argv[++i];
    } else if (argument.startsWith("--")) {
      usage(`unknown option ${argument}`);
    } else {
      options.pages.push({ page: argument, root: options.root });
    }
  }
  if (options.pages.length === 0) usage("no page given");
  return options;
}

function pageUrl(page) {
  if (page.startsWith("file://")) return page;
  const file = path.resolve(page);
  try {
    if (!statSync(file).isFile()) usage(`not a file: ${file}`);
  } catch {
    usage(`no such file: ${file}`);
  }
  return pathToFileURL(file).href;
}

/** Whether a request to `url` stays inside `root` (a folder) on the same scheme and host. */
function staysInside(url, pageUrlString, root) {
  let target;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (["data:", "blob:", "about:"].includes(target.protocol)) return true; // no request leaves
  const home = new URL(pageUrlString);
  if (target.protocol !== home.protocol || target.host !== home.host) return false;
  const file = path.resolve(decodeURIComponent(target.pathname));
  return file === root || file.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

// Installed before any script of the page: records every CSP violation the page causes.
function recordViolations() {
  window.__briefCsp = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    window.__briefCsp.push({
      directive: event.violatedDirective,
      effective: event.effectiveDirective,
      blocked: event.blockedURI,
      source: event.sourceFile,
      line: event.lineNumber,
      sample: event.sample,
    });
  });
}

async function fragments(page) {
  return page.evaluate(() => {
    const broken = [];
    const links = Array.from(document.querySelectorAll("a[href^='#'], area[href^='#']"));
    for (const link of links) {
      const href = link.getAttribute("href");
      let name = href.slice(1);
      try {
        name = decodeURIComponent(name);
      } catch {
        broken.push(href);
        continue;
      }
      if (name === "" || (document.getElementById(name) === null
          && document.getElementsByName(name).length === 0)) {
        broken.push(href);
      }
    }
    return { links: links.length, broken };
  });
}

const FOCUS_PROPERTIES = ["outline-style", "outline-width", "outline-color", "outline-offset",
  "box-shadow"];

async function focus(page) {
  const before = await page.evaluate((properties) => {
    const link = document.querySelector("a[href]");
    if (link === null) return null;
    link.setAttribute("data-brief-first-link", "");
    const style = getComputedStyle(link);
    return {
      text: (link.textContent || "").trim().slice(0, 80),
      href: link.getAttribute("href"),
      style: Object.fromEntries(properties.map((p) => [p, style.getPropertyValue(p)])),
    };
  }, FOCUS_PROPERTIES);
  if (before === null) return { link: null, reached: false, visible: false };
  // Start from the document itself, then Tab as a keyboard user does.
  await page.evaluate(() => {
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    window.getSelection()?.removeAllRanges();
  });
  let reached = false;
  let focused = null;
  for (let tab = 0; tab < 20 && !reached; tab++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate((properties) => {
      const element = document.activeElement;
      if (element === null || element === document.body) return null;
      const style = getComputedStyle(element);
      return {
        first: element.hasAttribute("data-brief-first-link"),
        tag: element.tagName.toLowerCase(),
        text: (element.textContent || "").trim().slice(0, 80),
        focusVisible: element.matches(":focus-visible"),
        style: Object.fromEntries(properties.map((p) => [p, style.getPropertyValue(p)])),
        box: (() => {
          const r = element.getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height };
        })(),
      };
    }, FOCUS_PROPERTIES);
    // Only the first link counts, and only when it is the first thing Tab reaches among links.
    if (focused !== null) reached = focused.first || focused.tag === "a";
  }
  await page.evaluate(() => {
    document.querySelector("[data-brief-first-link]")?.removeAttribute("data-brief-first-link");
  });
  if (!reached || !focused.first) {
    return { link: before, reached: false, focused, visible: false };
  }
  const after = focused.style;
  const outline = after["outline-style"] !== "none" && parseFloat(after["outline-width"]) > 0
    && (after["outline-style"] !== before.style["outline-style"]
      || after["outline-width"] !== before.style["outline-width"]
      || after["outline-color"] !== before.style["outline-color"]);
  const shadow = after["box-shadow"] !== "none" && after["box-shadow"] !== before.style["box-shadow"];
  return {
    link: before,
    reached: true,
    focusVisible: focused.focusVisible,
    focused: after,
    box: focused.box,
    visible: outline || shadow,
  };
}

async function footnotes(page) {
  const count = await page.$$eval("a[role=doc-noteref]", (calls) => calls.length);
  const notes = await page.$$eval("[role=doc-endnotes]", (lists) => lists.length);
  const problems = [];
  let roundTrips = 0;
  for (let i = 0; i < count; i++) {
    const call = (await page.$$("a[role=doc-noteref]"))[i];
    const described = await call.evaluate((a, index) => ({
      index,
      text: (a.textContent || "").trim(),
      href: a.getAttribute("href"),
      id: a.id || (a.closest("[id]")?.id ?? ""),
    }), i);
    const problem = (what) => problems.push({ call: described, problem: what });
    if (!described.href || !described.href.startsWith("#")) {
      problem(`its href is ${JSON.stringify(described.href)}, not a link to a note on the page`);
      continue;
    }
    if (!described.id) {
      problem("neither the call nor an element around it has an id: no way back to it");
      continue;
    }
    await call.click();
    const there = await page.evaluate((index) => {
      const target = document.querySelector(":target");
      const calls = document.querySelectorAll("a[role=doc-noteref]");
      return {
        hash: location.hash,
        target: target === null ? null : (target.id || target.tagName.toLowerCase()),
        inNotes: target !== null && target.closest("[role=doc-endnotes]") !== null,
        backlinks: target === null ? [] : Array.from(
          target.querySelectorAll("a[role=doc-backlink]"), (a) => a.getAttribute("href")),
        callId: calls[index].id || (calls[index].closest("[id]")?.id ?? ""),
      };
    }, i);
    if (there.hash !== described.href) {
      problem(`after the click location.hash is ${JSON.stringify(there.hash)}`);
      continue;
    }
    if (there.target === null) {
      problem(`${described.href} names no element (:target is empty after the click)`);
      continue;
    }
    if (!there.inNotes) {
      problem(`${described.href} lands outside [role=doc-endnotes] (on ${there.target})`);
      continue;
    }
    const back = `#${encodeURIComponent(there.callId)}`;
    const backIndex = there.backlinks.findIndex(
      (href) => href === `#${there.callId}` || href === back);
    if (backIndex < 0) {
      problem(`the note ${there.target} has no a[role=doc-backlink] to #${there.callId} `
        + `(its backlinks: ${JSON.stringify(there.backlinks)})`);
      continue;
    }
    const backlink = (await page.$$(":target a[role=doc-backlink]"))[backIndex];
    await backlink.click();
    const home = await page.evaluate((index) => {
      const target = document.querySelector(":target");
      const call = document.querySelectorAll("a[role=doc-noteref]")[index];
      return {
        hash: location.hash,
        target: target === null ? null : (target.id || target.tagName.toLowerCase()),
        isCall: target !== null && (target === call || target.contains(call)),
      };
    }, i);
    if (!home.isCall) {
      problem(`the backlink leads to ${JSON.stringify(home.hash)} (:target ${home.target}), `
        + "not back to the call");
      continue;
    }
    roundTrips++;
  }
  return { calls: count, endnotes: notes, roundTrips, problems };
}

async function reflow(page) {
  await page.setViewport(NARROW);
  const measured = await page.evaluate(() => {
    const width = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    const wide = [];
    if (scrollWidth > width) {
      for (const element of document.body.querySelectorAll("*")) {
        const box = element.getBoundingClientRect();
        if (box.right > width + 0.5 && box.width > 0) {
          const name = element.tagName.toLowerCase() + (element.id ? `#${element.id}` : "")
            + (element.classList.length ? `.${Array.from(element.classList).join(".")}` : "");
          wide.push({ element: name, right: Math.round(box.right), width: Math.round(box.width) });
        }
        if (wide.length >= 10) break;
      }
    }
    return { innerWidth: width, scrollWidth, wide };
  });
  await page.setViewport(DESKTOP);
  return { ...measured, viewport: NARROW.width, ok: measured.scrollWidth <= measured.innerWidth };
}

async function axe(page) {
  // Evaluated through the DevTools protocol: not subject to the page's own CSP (a script tag
  // would be, and a strict policy rightly refuses inline scripts).
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async (tags, extra, house) => {
    window.axe.configure({
      checks: [{
        id: `${house}-check`,
        evaluate(node) {
          const scope = (node.getAttribute("scope") || "").trim().toLowerCase();
          if (["col", "row", "colgroup", "rowgroup"].includes(scope)) return true;
          const table = node.closest("table");
          return node.id !== "" && table !== null && Array.from(table.querySelectorAll("[headers]"))
            .some((cell) => cell.getAttribute("headers").split(/\s+/).includes(node.id));
        },
        metadata: {
          impact: "serious",
          messages: {
            pass: "The header cell has a scope or is named by its cells' headers attribute",
            fail: "The header cell has no scope (col, row, colgroup, rowgroup) and no cell names it "
              + "in a headers attribute",
          },
        },
      }],
      rules: [{
        id: house,
        selector: "table th",
        any: [`${house}-check`],
        tags: ["brief", "cat.tables"],
        metadata: {
          description: "Every header cell of a table says what it heads",
          help: "Table header cells must have a scope attribute (or be named by headers=…)",
        },
      }],
    });
    const found = await window.axe.run(document, {
      runOnly: { type: "tag", values: [...tags, "brief"] },
      rules: Object.fromEntries(extra.map((id) => [id, { enabled: true }])),
      resultTypes: ["violations"],
      preload: false, // axe would fetch the stylesheets again: requests of its own, not the page's
    });
    return {
      version: window.axe.version,
      rules: found.passes.length + found.violations.length + found.incomplete.length
        + found.inapplicable.length,
      violations: found.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        tags: v.tags,
        targets: v.nodes.map((n) => n.target.map(String).join(" ")),
        summaries: v.nodes.map((n) => n.failureSummary || ""),
      })),
      incomplete: found.incomplete.map((v) => v.id),
    };
  }, AXE_TAGS, [...AXE_EXPERIMENTAL, ...AXE_ASKED], HOUSE_RULE);
  return results;
}

async function checkPage(browser, url, root) {
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  await page.setViewport(DESKTOP);
  await page.evaluateOnNewDocument(recordViolations);
  const leaving = [];
  const failed = [];
  const consoleErrors = [];
  const cspConsole = [];
  page.on("request", (request) => {
    const target = request.url();
    if (!staysInside(target, url, root)) leaving.push({ url: target, type: request.resourceType() });
  });
  page.on("requestfailed", (request) => {
    // A hash navigation or an aborted favicon is no failure of the page.
    if (request.url().startsWith("data:")) return;
    failed.push({ url: request.url(), error: request.failure()?.errorText ?? "" });
  });
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    if (/Content.Security.Policy/i.test(text)) cspConsole.push(text);
    else consoleErrors.push(text);
  });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));

  const csp = [];
  const load = async () => {
    if (page.url().startsWith("file:") || page.url().startsWith("http")) {
      csp.push(...await page.evaluate(() => window.__briefCsp ?? []));
    }
    return page.goto(url, { waitUntil: "load" });
  };
  const response = await load();
  const report = {
    page: url,
    root,
    title: await page.title(),
    lang: await page.evaluate(() => document.documentElement.lang),
    loaded: response === null || response.ok() || url.startsWith("file:"),
  };
  report.fragments = await fragments(page);
  report.focus = await focus(page);
  await load(); // the focused skip link may stand in the way of the next clicks
  report.footnotes = await footnotes(page);
  report.reflow = await reflow(page);
  // axe on the page as loaded: no hash, no focus, no note scrolled to
  await load();
  report.axe = await axe(page);
  csp.push(...await page.evaluate(() => window.__briefCsp ?? []));
  report.csp = {
    events: [...new Map(csp.map((e) => [JSON.stringify(e), e])).values()],
    console: [...new Set(cspConsole)],
  };
  const unique = (list) => [...new Map(list.map((r) => [JSON.stringify(r), r])).values()];
  report.requests = { leaving: unique(leaving), failed: unique(failed) };
  report.console = [...new Set(consoleErrors)];
  await page.close();
  return report;
}

async function main() {
  const options = parseArguments(process.argv.slice(2));

  await withChromium(options.chromium, "check", async (browser) => {
    const pages = [];
    for (const given of options.pages) {
      const url = pageUrl(given.page);
      const root = given.root !== null
        ? path.resolve(given.root) : path.dirname(fileURLToPath(url));
      pages.push(await checkPage(browser, url, root));
    }
    process.stdout.write(JSON.stringify({
      chromium: await browser.version(),
      axe: pages[0]?.axe.version ?? null,
      tags: AXE_TAGS,
      experimental: AXE_EXPERIMENTAL,
      asked: AXE_ASKED,
      house: [HOUSE_RULE],
      pages,
    }, null, 1) + "\n");
  }, { protocolTimeout: 120_000 });
}

main().catch((error) => {
  process.stderr.write(`check.mjs: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
