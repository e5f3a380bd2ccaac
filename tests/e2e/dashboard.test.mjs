// The dashboard in a real browser, under the page's real Content-Security-Policy: five citizens
// of Bát Xát write about a road and one of Mường Hum about the health station (over Telegram, to
// a mock Bot API); before login the page shows no menu and no "Đăng xuất"; after it the
// dashboard draws its bars by the counts (5 against 1: five times as long, on a laptop and on a
// phone), names topics and communes, and the browser reports no CSP violation; a concern's text
// keeps its line break. Screenshots at 1366×768 and 390×844.
//
//   DGW_E2E_SCREENSHOTS=/tmp/shots node tests/e2e/dashboard.test.mjs path/to/dialogue-gateway
//
// Exit 0 = passed, 1 = failed, 77 = skipped (only when /usr/bin/chromium is absent).
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { check, cleanUp, firstPassword, launch, loadPlaywright, logInFirstTime, mockTelegram, openLoggedOut, openPage,
         reportFailure, sayTelegram, startGateway, telegramChannel, until, watchCsp } from "./lib.mjs";

const binary = process.argv[2] || process.env.DGW_BINARY;
const playwright = loadPlaywright(binary);
const token = "5550003333:AAE-dashboardBrowserTestToken01234567";
const secret = "tg-dashboard-secret";
const shots = process.env.DGW_E2E_SCREENSHOTS || "";
if (shots) mkdirSync(shots, { recursive: true });

const mock = mockTelegram();
const dir = mkdtempSync(join(tmpdir(), "dgw-e2e-dashboard-"));
let gateway, browser, page;
let status = 0;

// The length of the bar of row `key` of chart `chart`, in pixels.
const barWidth = (p, chart, key) => p.locator(`table[data-chart='${chart}'] tr[data-key='${key}'] rect`)
  .evaluate((r) => r.getBoundingClientRect().width);

try {
  const mockPort = await mock.ready;
  gateway = startGateway(binary, dir, [telegramChannel(token, secret, mockPort)]);
  const base = await gateway.url;
  const password = await firstPassword(gateway);

  // Five road concerns of Bát Xát, one about Mường Hum's health station (one with two lines).
  const road = ["duong vao thon o xa Bat Xat bi sat lo\nxe may khong di duoc nua",
                "sat lo duong vao thon, xa Bat Xat, xe may khong qua duoc",
                "Bat Xat: duong thon bi sat lo nang, xe may khong di duoc",
                "xa Bat Xat duong lien thon sat lo lap het mat duong",
                "duong o xa Bat Xat bi sat lo sau mua lu, o to khong di duoc"];
  const messages = [...road, "tram y te xa muong hum khong co bac si truc dem"];
  for (const [i, text] of messages.entries()) {
    const chat = 820001 + i;
    for (const line of [text, "gui an danh"]) await sayTelegram(base, secret, chat, line);
  }
  const receipts = await until("six receipts", () => {
    const refs = new Map();
    for (const m of mock.sent) {
      const ref = (/LC-[0-9A-Z]{5}/.exec(m.text) || [])[0];
      if (ref) refs.set(String(m.chat_id), ref);
    }
    return refs.size >= 6 ? refs : null;
  });
  const twoLines = receipts.get("820001");

  browser = await launch(playwright);
  const opened = await openPage(browser, base, { viewport: { width: 1366, height: 768 } });
  page = opened.page;
  const { outside, errors } = opened;
  const cspViolations = await watchCsp(page);

  await openLoggedOut(page, base);

  // The first login (the one-time password replaced), then the dashboard.
  await logInFirstTime(page, base, password);
  check(await page.locator("#nav").isVisible(), "no menu after login");

  // The bars follow the counts: 5 against 1 is five times as long, per topic and per commune.
  await page.locator("table[data-chart='topic'] tr[data-key='health'] rect").waitFor({ state: "attached" });
  const [roads, health] = [await barWidth(page, "topic", "roads"), await barWidth(page, "topic", "health")];
  check(health > 0 && Math.abs(roads / health - 5) < 0.3, `topic bars: roads ${roads}px, health ${health}px`);
  const [batXat, muongHum] = [await barWidth(page, "commune", "02683"), await barWidth(page, "commune", "02728")];
  check(muongHum > 0 && Math.abs(batXat / muongHum - 5) < 0.3, `commune bars: Bát Xát ${batXat}px, Mường Hum ${muongHum}px`);
  const charts = await page.locator("main").innerText();
  check(/Giao thông/.test(charts) && charts.includes("Xã Bát Xát") && charts.includes("Mường Hum"), `names missing: ${charts.slice(0, 800)}`);
  const topicRows = await page.locator("table[data-chart='topic'] th").allInnerTexts();
  check(!topicRows.includes("roads") && !topicRows.includes("health"), `topic ids shown: ${topicRows}`);
  const figures = await page.locator(".figures").innerText();
  check(figures.includes("6") && figures.includes("0%") && figures.includes("—"), `figures: ${figures}`);
  const months = await page.locator("table[data-chart='time'] tbody tr").count();
  check(months === 12, `the time chart has ${months} months`);
  if (shots) await page.screenshot({ path: join(shots, "dashboard-1366.png"), fullPage: true });
  await page.getByRole("link", { name: "Xem theo tuần" }).click();
  await page.getByRole("heading", { name: "Phản ánh theo tuần" }).waitFor();
  const lastWeek = await page.locator("table[data-chart='time'] tbody tr").last().innerText();
  check(/Tuần \d+\/\d{4}\s+6/.test(lastWeek), `this week's row: ${lastWeek}`);

  // A phone: the same page fits without sideways scrolling.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(base + "/#/");
  await page.locator("table[data-chart='topic'] tr[data-key='health'] rect").waitFor({ state: "attached" });
  const [roadsPhone, healthPhone] = [await barWidth(page, "topic", "roads"), await barWidth(page, "topic", "health")];
  check(healthPhone > 0 && Math.abs(roadsPhone / healthPhone - 5) < 0.5, `phone bars: ${roadsPhone}px, ${healthPhone}px`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (shots) {
    await page.screenshot({ path: join(shots, "dashboard-390.png"), fullPage: true });
    await page.screenshot({ path: join(shots, "dashboard-390-top.png") });
    await page.locator("table[data-chart='topic']").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, "dashboard-390-charts.png") });
  }
  check(overflow <= 0, `the dashboard scrolls sideways on a phone by ${overflow}px`);

  // The concern with two lines keeps them (a class, not an inline style the CSP would block).
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`${base}/#/concerns/${twoLines}`);
  const text = page.locator("p.concern-text");
  await text.waitFor();
  check(await text.evaluate((e) => getComputedStyle(e).whiteSpace === "pre-wrap"), "the text does not keep its line breaks");
  const lines = await text.evaluate((e) => Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)));
  check(lines === 2, `the two-line text shows as ${lines} lines`);
  if (shots) await page.screenshot({ path: join(shots, "concern-1366.png") });

  // In English: the same figures with the English names of topics and months.
  await page.getByRole("button", { name: "Language / Ngôn ngữ" }).click();
  await page.goto(base + "/#/");
  await page.getByRole("heading", { name: "Concerns by topic" }).waitFor();
  const english = await page.locator("table[data-chart='topic']").innerText();
  check(english.includes("Roads and transport") && english.includes("Health"), `English topics: ${english}`);
  const lastMonth = await page.locator("table[data-chart='time'] tbody tr").last().innerText();
  check(/^[A-Z][a-z]{2} \d{4}\s+6/.test(lastMonth), `this month's row in English: ${lastMonth}`);
  if (shots) await page.screenshot({ path: join(shots, "dashboard-en-1366.png"), fullPage: true });

  const csp = await cspViolations();
  check(csp.length === 0, `CSP violations: ${csp.join("; ")}`);
  check(outside.length === 0, `requests left the gateway: ${outside.join(", ")}`);
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  console.log(`PASS: bars ${roads.toFixed(0)}:${health.toFixed(0)} px (topic), ${batXat.toFixed(0)}:${muongHum.toFixed(0)} px (commune), ` +
              `${roadsPhone.toFixed(0)}:${healthPhone.toFixed(0)} px on a phone; no CSP violation; line breaks kept`);
} catch (e) {
  await reportFailure(e, page, gateway);
  status = 1;
} finally {
  await cleanUp({ browser, gateway, mock, dir });
}
process.exit(status);
