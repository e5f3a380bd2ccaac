// The message log and the signed event webhooks, in a real browser (issue 22 item 3): a citizen
// of Bát Xát files a concern over Telegram (to a mock Bot API) while the province's operations
// centre (a local receiver that checks each signature) is down for its first two deliveries.
// The admin opens "Nhật ký tin nhắn": the citizen's messages, the replies, and the event for the
// operations centre, sent after its retries; the filter keeps only the events; the event's line
// links its concern. Screenshots at 1366×768 and 390×844.
//
//   DGW_E2E_SCREENSHOTS=/tmp/shots node tests/e2e/messages.test.mjs path/to/dialogue-gateway
//
// Exit 0 = passed, 1 = failed, 77 = skipped (only when /usr/bin/chromium is absent).
import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdirSync, mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { check, cleanUp, firstPassword, launch, loadPlaywright, logInFirstTime, mockTelegram, openPage,
         reportFailure, sayTelegram, startGateway, telegramChannel, until, watchCsp } from "./lib.mjs";

const binary = process.argv[2] || process.env.DGW_BINARY;
const playwright = loadPlaywright(binary);
const token = "5550005555:AAE-messageLogBrowserTestToken01234";
const secret = "tg-messages-secret";
const hookSecret = "ioc-shared-secret-0123456789";
const shots = process.env.DGW_E2E_SCREENSHOTS || "";
if (shots) mkdirSync(shots, { recursive: true });

// The operations centre: refuses its first two deliveries (503), then verifies and keeps each,
// as README tells a receiver to.
const received = [];
let refused = 0;
const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (d) => { body += d; });
  req.on("end", () => {
    if (refused < 2) {
      refused += 1;
      res.writeHead(503).end("maintenance");
      return;
    }
    const ts = req.headers["x-dgw-timestamp"] || "";
    const expected = Buffer.from("sha256=" + createHmac("sha256", hookSecret).update(ts + "." + body).digest("hex"));
    const given = Buffer.from(req.headers["x-dgw-signature"] || "");
    const fresh = Math.abs(Date.now() / 1000 - Number(ts)) < 300;
    const ok = given.length === expected.length && timingSafeEqual(given, expected) && fresh;
    received.push({ ok, event: req.headers["x-dgw-event"], body: JSON.parse(body) });
    res.writeHead(ok ? 204 : 401).end();
  });
});
const receiverPort = new Promise((resolve) => receiver.listen(0, "127.0.0.1", () => resolve(receiver.address().port)));

const mock = mockTelegram();
const dir = mkdtempSync(join(tmpdir(), "dgw-e2e-messages-"));
let gateway, browser, page;
let status = 0;

try {
  const mockPort = await mock.ready;
  gateway = startGateway(binary, dir, [telegramChannel(token, secret, mockPort)], {
    outbound_hooks: [{ name: "ioc", url: `http://127.0.0.1:${await receiverPort}/dgw`, secret: hookSecret,
                       events: ["concern.filed", "concern.status", "concern.answered", "session.changed"] }],
    pipeline: { backoff_seconds: 0.2, max_backoff_seconds: 1 },
  });
  const base = await gateway.url;
  const password = await firstPassword(gateway);
  const chat = 840001;
  await sayTelegram(base, secret, chat, "duong vao thon 3 xa Bat Xat bi sat lo, xe may khong di duoc");
  await sayTelegram(base, secret, chat, "gui an danh");
  const ref = await until("the receipt", () => {
    const m = mock.sent.find((s) => String(s.chat_id) === String(chat) && /LC-[0-9A-Z]{5}/.test(s.text));
    return m ? /LC-[0-9A-Z]{5}/.exec(m.text)[0] : null;
  });
  const filed = await until("the event at the operations centre", () => received.find((r) => r.event === "concern.filed"));
  check(filed.ok, "the event's signature or timestamp does not verify");
  check(filed.body.data.ref === ref && refused === 2, `the event: ${JSON.stringify(filed.body)} after ${refused} refusals`);
  check(!JSON.stringify(filed.body).includes("thon 3"), "the event carries the citizen's words");

  browser = await launch(playwright);
  const opened = await openPage(browser, base, { viewport: { width: 1366, height: 768 } });
  page = opened.page;
  const { outside, errors } = opened;
  const cspViolations = await watchCsp(page);
  await logInFirstTime(page, base, password);

  await page.getByRole("link", { name: "Nhật ký tin nhắn", exact: true }).click();
  await page.getByRole("heading", { name: "Nhật ký tin nhắn" }).waitFor();
  const rows = page.locator("table.messages tbody tr");
  const log = await page.locator("table.messages").innerText();
  check(log.includes("duong vao thon 3 xa Bat Xat") && log.includes(ref), `the log: ${log.slice(0, 1500)}`);
  const event = rows.filter({ hasText: "Hệ thống khác: ioc" }).filter({ hasText: "concern.filed" });
  check(await event.count() === 1, `the event's line: ${await event.count()}`);
  const line = await event.innerText();
  check(line.includes("Phản ánh mới") && line.includes("Đã gửi") && line.includes("(3 lần gửi)"), `the event's line: ${line}`);
  if (shots) await page.screenshot({ path: join(shots, "messages-1366.png"), fullPage: true });

  await page.getByLabel("Hiển thị").selectOption("events");
  await until("only the events", async () => (await rows.count()) === 1);
  await rows.first().getByRole("link", { name: ref }).click();
  await page.getByRole("heading", { name: ref }).waitFor();

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/#/messages`);
  await page.getByRole("heading", { name: "Nhật ký tin nhắn" }).waitFor();
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  check(wide <= 390, `the log is wider than a phone: ${wide}px`);
  if (shots) await page.screenshot({ path: join(shots, "messages-390.png"), fullPage: true });

  const csp = await cspViolations();
  check(csp.length === 0, `CSP violations: ${csp.join("; ")}`);
  check(outside.length === 0, `requests left the gateway: ${outside.join(", ")}`);
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  console.log(`PASS: ${ref} filed, its event signed and delivered after 2 refusals, shown in the message log`);
} catch (e) {
  await reportFailure(e, page, gateway);
  status = 1;
} finally {
  receiver.close();
  await cleanUp({ browser, gateway, mock, dir });
}
process.exit(status);
