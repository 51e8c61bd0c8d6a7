// Renders `callcheck report --format html` in Debian's Chromium and checks the page against the
// JSON report of the same run: headline figures, histogram, rule bars, every group row; the
// filter box and a drill-down; no network request and no script error. Saves a screenshot of
// the page (a drill-down open) and a print rendering.
//
// usage: node check-report.mjs REPORT.html REPORT.json SCREENSHOT.png PRINT.pdf
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [html, json, screenshot, pdf] = process.argv.slice(2);
const report = JSON.parse(readFileSync(json, "utf8"));
const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
};
const one = (x) => (x === null || x === undefined ? "—" : x.toFixed(1));
const pct = (x) => (x === null || x === undefined ? "—" : `${x.toFixed(1)}%`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const errors = [];
  const requests = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(html).href, { waitUntil: "load" });

  check(errors.length === 0, `script errors: ${errors.join("; ")}`);
  const remote = requests.filter((u) => !u.startsWith("file:") && !u.startsWith("data:"));
  check(remote.length === 0, `network requests: ${remote.join(", ")}`);

  // Headline figures.
  const metric = (name) => page.locator(`[data-metric="${name}"]`).first().textContent();
  const s = report.summary;
  for (const [name, want] of [
    ["calls", String(s.calls)], ["scored", String(s.scored)], ["passed", String(s.passed)],
    ["mean", one(s.mean)], ["median", one(s.median)], ["pass_rate", pct(s.pass_rate)],
    ["auto_failed", String(s.auto_failed)], ["findings", String(s.findings)],
    ["calls_with_findings", String(s.calls_with_findings)], ["errors", String(s.errors)],
    ["pass_mark", report.pass_mark],
  ]) {
    const got = (await metric(name))?.trim();
    check(got === want, `headline ${name}: page shows ${got}, JSON says ${want}`);
  }

  // Histogram bars.
  const bands = await page.$$eval("#distribution [data-band]", (gs) =>
    gs.map((g) => [Number(g.dataset.band), Number(g.dataset.calls)]));
  check(
    JSON.stringify(bands) === JSON.stringify(report.distribution.map((b) => [b.from, b.calls])),
    `histogram ${JSON.stringify(bands)} differs from the JSON distribution`,
  );

  // Rules: the bar chart and the full table.
  const rules = new Map(report.rules.map((r) => [r.rule, r]));
  const rows = await page.$$eval("#rules tr[data-rule]", (trs) => trs.map((tr) => ({
    rule: tr.dataset.rule,
    broken: tr.querySelector('[data-field="broken"]').textContent,
    applicable: tr.querySelector('[data-field="applicable"]').textContent,
    rate: tr.querySelector('[data-field="rate"]').textContent,
    findings: tr.querySelector('[data-field="findings"]').textContent,
  })));
  check(rows.length === report.rules.length, `rules table has ${rows.length} rows, JSON ${report.rules.length}`);
  for (const row of rows) {
    const r = rules.get(row.rule);
    check(r && row.broken === String(r.broken) && row.applicable === String(r.applicable)
      && row.rate === pct(r.rate) && row.findings === String(r.findings), `rules table row ${row.rule}`);
  }
  const bars = await page.$$eval("#rule-chart li[data-rule]", (lis) =>
    lis.map((li) => [li.dataset.rule, Number(li.dataset.broken), Number(li.dataset.rate)]));
  check(bars.length > 0, "the rule chart has bars");
  for (const [rule, broken, rate] of bars) {
    const r = rules.get(rule);
    check(r && r.broken === broken && r.rate === rate, `rule bar ${rule}`);
  }

  // Every group row.
  const groups = await page.$$eval("#groups [data-key]", (els) => els.map((el) => {
    const field = (name) => el.querySelector(`[data-field="${name}"]`)?.textContent.trim();
    return {
      key: JSON.parse(el.dataset.key),
      calls: field("calls"), mean: field("mean"), median: field("median"),
      pass_rate: field("pass_rate"), auto_failed: field("auto_failed"),
      broken: field("broken"), applicable: field("applicable"), rate: field("rate"),
    };
  }));
  check(groups.length === report.groups.length, `page has ${groups.length} groups, JSON ${report.groups.length}`);
  report.groups.forEach((g, i) => {
    const row = groups[i];
    const key = JSON.stringify(Object.values(g.key));
    if (!row || JSON.stringify(row.key) !== key) {
      check(false, `group ${i}: page key ${JSON.stringify(row && row.key)}, JSON ${key}`);
      return;
    }
    if (g.calls !== undefined) {
      check(row.calls === String(g.calls) && row.mean === one(g.mean) && row.median === one(g.median)
        && row.pass_rate === pct(g.pass_rate) && row.auto_failed === String(g.auto_failed),
      `group ${key}: page ${JSON.stringify(row)}`);
    } else {
      check(row.broken === String(g.broken) && row.applicable === String(g.applicable)
        && row.rate === pct(g.rate), `group ${key}: page ${JSON.stringify(row)}`);
    }
  });

  // The filter box keeps the rows whose text matches.
  const firstKey = Object.values(report.groups[0].key)[0];
  if (firstKey) {
    await page.fill("#filter", firstKey);
    const visible = await page.$$eval("#groups [data-key]", (els) => els.filter((e) => !e.hidden).length);
    const expected = report.groups.filter((g) => JSON.stringify(g).includes(firstKey)).length;
    check(visible >= 1 && visible <= expected + report.groups.length, `filter "${firstKey}" left ${visible} rows`);
    const shown = await page.textContent("#shown");
    check(/\d+ of \d+ rows match/.test(shown), `filter count reads "${shown}"`);
    await page.fill("#filter", "no such agent at all");
    const none = await page.$$eval("#groups [data-key]", (els) => els.filter((e) => !e.hidden).length);
    check(none === 0, `an unmatched filter left ${none} rows`);
    await page.fill("#filter", "");
  }

  // Drill-down: the lowest group opens on a click and shows a highlighted offending turn.
  const first = page.locator("#groups details.group").first();
  if (await first.count()) {
    await first.locator("summary").click();
    check(await first.evaluate((d) => d.open), "clicking a row opens its drill-down");
    const marked = first.locator(".turn.offending").first();
    check(await marked.isVisible(), "the drill-down shows an offending turn");
    const box = await marked.boundingBox();
    check(box && box.width > 300, "the offending turn is laid out at full width");
  }

  await page.screenshot({ path: screenshot, fullPage: true });

  // Printing: the worst calls open, nothing cut off sideways on A4 (about 720 CSS pixels
  // between the margins).
  await page.setViewportSize({ width: 720, height: 1000 });
  await page.emulateMedia({ media: "print" });
  await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
  const openWorst = await page.$$eval("#worst details", (ds) => ds.every((d) => d.open));
  check(openWorst, "printing opens the worst calls");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `the printed page is ${overflow}px wider than the paper`);
  await page.pdf({ path: pdf, format: "A4", printBackground: true });
} finally {
  await browser.close();
}

if (failures.length) {
  console.error(`report page: ${failures.length} problem(s)`);
  for (const f of failures) console.error(`  - ${f}`);
  process.exit(1);
}
console.log(`report page matches the JSON report; screenshot ${screenshot}, print ${pdf}`);
