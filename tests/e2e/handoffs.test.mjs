// The hand-off inbox in a real browser, round trip: a citizen on Telegram (a mock Bot API)
// asks for an official ("gap can bo") and writes what is wrong; another writes three times
// something the bot cannot read. The dashboard counts two waiting; the inbox lists them with what they said;
// opening one tells that citizen it was seen (once); a reply reaches the citizen's chat; the
// exchange is turned into a concern (the citizen gets its reference) and leaves the inbox; the
// other is closed. An official scoped to another commune sees neither. Screenshots at
// 1366×768 and 390×844; no CSP violation.
//
//   DGW_E2E_SCREENSHOTS=/tmp/shots node tests/e2e/handoffs.test.mjs path/to/dialogue-gateway
//
// Exit 0 = passed, 1 = failed, 77 = skipped (only when /usr/bin/chromium is absent).
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { check, cleanUp, firstPassword, launch, loadPlaywright, logInFirstTime, mockTelegram, openPage,
         reportFailure, sayTelegram, startGateway, telegramChannel, until, watchCsp } from "./lib.mjs";

const binary = process.argv[2] || process.env.DGW_BINARY;
const playwright = loadPlaywright(binary);
const token = "5550006666:AAE-handoffBrowserTestToken0123456789";
const secret = "tg-handoff-secret";
const shots = process.env.DGW_E2E_SCREENSHOTS || "";
if (shots) mkdirSync(shots, { recursive: true });

const mock = mockTelegram();
const dir = mkdtempSync(join(tmpdir(), "dgw-e2e-handoffs-"));
let gateway, browser, page;
let status = 0;

const toChat = (chat) => mock.sent.filter((m) => String(m.chat_id) === String(chat)).map((m) => m.text);
const told = (chat, words) => until(`chat ${chat} told "${words}"`, () => toChat(chat).some((t) => t.includes(words)));

try {
  const mockPort = await mock.ready;
  gateway = startGateway(binary, dir, [telegramChannel(token, secret, mockPort)]);
  const base = await gateway.url;
  const password = await firstPassword(gateway);

  // One citizen asks for a person, then says what is wrong; the other writes gibberish twice.
  const asks = 830001, lost = 830002;
  await sayTelegram(base, secret, asks, "gap can bo");
  await told(asks, "Một cán bộ sẽ trả lời bạn ngay tại đây");
  await sayTelegram(base, secret, asks, "nha toi o thon Coc San bi nut tuong do no min");
  await sayTelegram(base, secret, lost, "xin chao");
  await told(lost, "Xin chào");
  // Three messages the bot cannot read (asked again twice, in Vietnamese), then a person.
  for (const mash of ["qwrtp zxcvb", "zzz", "asdf ghjkl"]) await sayTelegram(base, secret, lost, mash);
  await told(lost, "Một cán bộ sẽ trả lời bạn");
  check(!toChat(lost).some((t) => t.includes("Tap a button")), `keyboard mash switched to English: ${toChat(lost)}`);

  browser = await launch(playwright);
  const opened = await openPage(browser, base, { viewport: { width: 1366, height: 768 } });
  page = opened.page;
  const { outside, errors } = opened;
  const cspViolations = await watchCsp(page);
  await logInFirstTime(page, base, password);

  // The dashboard counts both, and its figure leads to the inbox.
  const waiting = page.locator("a[data-figure='handoffs'] .figure-value");
  await waiting.waitFor();
  check((await waiting.innerText()) === "2", `the dashboard counts ${await waiting.innerText()} waiting`);
  await page.locator("a[data-figure='handoffs']").click();
  await page.getByRole("heading", { name: "Người dân cần cán bộ trả lời" }).waitFor();
  const rows = page.locator("tr[data-handoff]");
  check((await rows.count()) === 2, `the inbox lists ${await rows.count()}`);
  const list = await page.locator("main").innerText();
  check(list.includes("Xin gặp cán bộ") && list.includes("Máy chưa hiểu tin nhắn"), `reasons in words: ${list}`);
  check(list.includes("nut tuong do no min") && list.includes("Telegram"), `what they said, by which platform: ${list}`);
  check(list.includes("Chưa xem"), "new hand-offs are not marked unseen");
  if (shots) await page.screenshot({ path: join(shots, "handoffs-1366.png"), fullPage: true });

  // Opening it tells the citizen it was seen; opening it again does not tell them twice.
  await page.locator("tr", { hasText: "nut tuong" }).getByRole("link").click();
  await page.getByRole("button", { name: "Gửi trả lời" }).waitFor();
  await told(asks, "Cán bộ đã xem tin nhắn của bạn");
  const thread = await page.locator("ol.thread").innerText();
  check(thread.includes("gap can bo") && thread.includes("nut tuong do no min"), `the exchange: ${thread}`);

  // A reply goes out on the citizen's own channel, and shows in the exchange.
  await page.getByLabel("Trả lời (gửi qua Telegram)").fill("Chào bạn, bạn cho biết nhà ở xã nào để chúng tôi chuyển đúng nơi?");
  await page.getByRole("button", { name: "Gửi trả lời" }).click();
  await page.getByText("Đã gửi trả lời qua Telegram.").waitFor();
  await told(asks, "Cán bộ trả lời:\nChào bạn, bạn cho biết nhà ở xã nào");
  await sayTelegram(base, secret, asks, "xa Bat Xat a");
  await page.reload();
  await page.locator("ol.thread li.official").waitFor();
  await until("the citizen's answer in the exchange", async () => (await page.locator("ol.thread").innerText()).includes("xa Bat Xat a") || (await page.reload(), false));
  const seenTimes = toChat(asks).filter((t) => t.includes("Cán bộ đã xem")).length;
  check(seenTimes === 1, `the citizen was told ${seenTimes} times that it was seen`);
  if (shots) await page.screenshot({ path: join(shots, "handoff-thread-1366.png"), fullPage: true });

  // Turned into a concern: the commune found by its unaccented name; the citizen gets the reference.
  await page.getByLabel("Lĩnh vực").selectOption("social_policy");
  await page.getByLabel("Xã, phường").fill("bat xat");
  await page.getByRole("button", { name: "Tạo phản ánh", exact: true }).click();
  await page.waitForURL(/#\/concerns\/LC-/);
  const ref = decodeURIComponent(page.url().split("/").pop());
  await page.getByRole("heading", { name: ref }).waitFor();
  await told(asks, `Cán bộ đã ghi nhận ý kiến của bạn thành phản ánh ${ref}`);
  const concern = await page.locator("main").innerText();
  check(concern.includes("Xã Bát Xát") && concern.includes("nut tuong do no min"), `the concern: ${concern.slice(0, 600)}`);

  // The other is closed; the inbox is empty and the dashboard counts none.
  await page.goto(base + "/#/handoffs");
  await page.locator("tr", { hasText: "asdf ghjkl" }).getByRole("link").click();
  await page.getByRole("button", { name: "Đóng, không tạo phản ánh" }).click();
  await page.getByText("Không có ai đang chờ cán bộ.").waitFor();
  await page.goto(base + "/#/");
  await waiting.waitFor();
  check((await waiting.innerText()) === "0", `after both were handled the dashboard counts ${await waiting.innerText()}`);

  // Closed ones stay readable, with what became of them.
  await page.goto(base + "/#/handoffs?status=closed");
  await page.locator("tr[data-handoff]").first().waitFor();
  check((await page.locator("tr[data-handoff]").count()) === 2, "both closed hand-offs are listed as closed");

  // On a phone the inbox and a thread fit the width.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(base + "/#/handoffs?status=all");
  await page.locator("tr[data-handoff]").first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(overflow <= 0, `the inbox scrolls sideways on a phone by ${overflow}px`);
  if (shots) await page.screenshot({ path: join(shots, "handoffs-390.png"), fullPage: true });

  // In English, the same page has no Vietnamese words of its own.
  await page.getByRole("button", { name: "Language / Ngôn ngữ" }).click();
  await page.getByRole("heading", { name: "Citizens waiting for an official" }).waitFor();
  const english = await page.locator("main").innerText();
  check(english.includes("Asked for an official") && !english.includes("Xin gặp cán bộ"), `English inbox: ${english}`);

  // An official of another commune sees none of them.
  const other = await fetch(base + "/api/v1/auth/login", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "admin", password: "a-new-long-password-2026" }),
  });
  const cookie = other.headers.get("set-cookie").split(";")[0];
  const { csrf_token: csrf } = await other.json();
  const add = await fetch(base + "/api/v1/users", {
    method: "POST", headers: { "Content-Type": "application/json", Cookie: cookie, "X-CSRF-Token": csrf },
    body: JSON.stringify({ name: "muonghum", role: "official", scope: ["02728"], password: "muong-hum-official-2026" }),
  });
  check(add.status === 201 || add.status === 200, `adding an official answered ${add.status}`);
  const login = await fetch(base + "/api/v1/auth/login", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "muonghum", password: "muong-hum-official-2026" }),
  });
  const theirCookie = login.headers.get("set-cookie").split(";")[0];
  const changed = await fetch(base + "/api/v1/auth/password", {  // a password an admin set is one-time
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: theirCookie, "X-CSRF-Token": (await login.json()).csrf_token },
    body: JSON.stringify({ current_password: "muong-hum-official-2026", new_password: "muong-hum-own-password-2026" }),
  });
  check(changed.status === 200, `changing the one-time password answered ${changed.status}`);
  const theirs = await fetch(base + "/api/v1/handoffs?status=all", { headers: { Cookie: theirCookie } });
  const body = await theirs.json();
  check(theirs.status === 200 && body.items && body.items.length === 0, `an official of Mường Hum sees: ${theirs.status} ${JSON.stringify(body)}`);

  const csp = await cspViolations();
  check(csp.length === 0, `CSP violations: ${csp.join("; ")}`);
  check(outside.length === 0, `requests left the gateway: ${outside.join(", ")}`);
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  console.log(`PASS: two hand-offs counted and listed; seen told once; reply delivered; filed as ${ref}; closed; scoped`);
} catch (e) {
  await reportFailure(e, page, gateway);
  status = 1;
} finally {
  await cleanUp({ browser, gateway, mock, dir });
}
process.exit(status);
