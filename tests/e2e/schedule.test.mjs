// The schedule and accounts pages in a real browser (issue 7 §3): the first-start admin adds an
// extra commune meeting on the schedule page (the commune picked by name) and sees it listed,
// cancels it from its row; adds another hearing one topic ticked among its level's and deletes
// it (nothing is filed to it) after confirming; pages through a year of sessions and filters them
// by a commune typed without accents, the calendar link following the commune; then adds an
// official on the accounts page, the one-time password
// is shown once, and the official logs in with it and must replace it before anything else.
// Nothing may leave localhost.
//
//   node tests/e2e/schedule.test.mjs path/to/dialogue-gateway
//
// Exit 0 = passed, 1 = failed, 77 = skipped (only when /usr/bin/chromium is absent).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { check, launch, loadPlaywright, onlyLocal, startGateway, stopGateway, until } from "./lib.mjs";

const binary = process.argv[2] || process.env.DGW_BINARY;
const playwright = loadPlaywright(binary);

// Logs in; with `replace`, the one-time password is replaced by it at once.
async function logIn(page, base, name, password, replace) {
  await page.goto(base + "/#/login");
  await page.getByLabel("Tên đăng nhập").fill(name);
  await page.getByLabel("Mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.getByLabel("Mật khẩu hiện tại").fill(password);
  await page.getByLabel("Mật khẩu mới", { exact: true }).fill(replace);
  await page.getByLabel("Nhập lại mật khẩu mới").fill(replace);
  await page.getByRole("button", { name: "Đổi mật khẩu" }).click();
  await page.getByRole("heading", { name: "Phản ánh khẩn cấp" }).waitFor();
}

// Fills the schedule page's form for a meeting in Bát Xát (found by typing its name without
// accents), on `day` named `name`, hearing the `topics` ticked (none: every topic), and sends it.
async function addSession(form, day = date, name = title, topics = []) {
  await form.getByLabel("Cấp", { exact: true }).selectOption({ label: "Cấp xã" });
  await form.getByLabel("Tìm xã, phường theo tên").fill("bat xat");
  await form.getByLabel("Xã, phường", { exact: true }).selectOption({ label: "Xã Bát Xát" });
  await form.getByLabel("Ngày").fill(day);
  await form.getByLabel("Địa điểm").fill("Nhà văn hóa thôn 5");
  await form.getByLabel("Tên (tiếng Việt)").fill(name);
  for (const topic of topics) await form.getByLabel(topic, { exact: true }).check();
  await form.getByRole("button", { name: "Thêm buổi đối thoại" }).click();
}

// Twenty days from now, local (UTC+7) date: inside the default window of the schedule page.
const date = new Date(Date.now() + 7 * 3600e3 + 20 * 864e5).toISOString().slice(0, 10);
const title = "Đối thoại bổ sung về sạt lở đường thôn";
const date2 = new Date(Date.now() + 7 * 3600e3 + 21 * 864e5).toISOString().slice(0, 10);
const title2 = "Đối thoại về đường giao thông thôn 5";

const dir = mkdtempSync(join(tmpdir(), "dgw-e2e-schedule-"));
let gateway, browser, page;
let status = 0;
try {
  gateway = startGateway(binary, dir, []);
  const base = await gateway.url;
  const password = await until("the first-start password", () =>
    (/one-time password (\S+)/.exec(gateway.stdout.text) || [])[1]);

  browser = await launch(playwright);
  const context = await browser.newContext({ viewport: { width: 1024, height: 1366 }, locale: "vi-VN" });
  const outside = [];
  await onlyLocal(context, base, outside);
  page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await logIn(page, base, "admin", password, "a-new-long-password-2026");

  // The schedule page: a session for Bát Xát.
  await page.getByRole("link", { name: "Lịch đối thoại" }).click();
  const form = page.getByRole("form", { name: "Thêm buổi đối thoại" });
  await form.waitFor();
  await addSession(form);
  await until("the confirmation", async () => (await page.locator("#flash").innerText()).includes("Đã thêm buổi đối thoại"));
  const row = page.locator("tr", { has: page.getByRole("link", { name: title }) });
  await row.waitFor();
  check((await row.innerText()).includes(date), `the row does not show ${date}: ${await row.innerText()}`);

  // The same meeting again: the API's 409 is shown in the form, next to the date.
  await addSession(form);
  const dateError = form.locator(".field-error");
  await dateError.waitFor();
  check((await dateError.innerText()).includes("Đã có buổi đối thoại"), `error: ${await dateError.innerText()}`);

  // Cancel it from its row.
  await row.getByRole("button", { name: "Sửa: " + title }).click();
  const edit = page.getByRole("form", { name: "Sửa buổi đối thoại" });
  await edit.getByLabel("Trạng thái").selectOption("cancelled");
  await edit.getByLabel("Ghi chú").fill("trùng lịch");
  await edit.getByRole("button", { name: "Lưu" }).click();
  await until("the cancellation", async () => (await page.locator("tr", { has: page.getByRole("link", { name: title }) }).innerText()).includes("Hủy"));

  // The form offers the topics of the chosen level: the commune level's, fewer for an agency.
  const topics = form.getByRole("group", { name: "Lĩnh vực buổi đối thoại nghe" });
  await form.getByLabel("Cấp", { exact: true }).selectOption({ label: "Cấp xã" });
  const communeTopics = await topics.getByRole("checkbox").count();
  await form.getByLabel("Cấp", { exact: true }).selectOption({ label: "Cơ quan, tổ chức, doanh nghiệp" });
  const agencyTopics = await topics.locator("label").allInnerTexts();
  check(communeTopics === 12, `the commune level offers ${communeTopics} topics`);
  check(agencyTopics.join("|") === "Việc làm, thu nhập|Y tế|Chính sách xã hội", `an agency's topics: ${agencyTopics.join("|")}`);
  // A meeting hearing roads only, then deleted from its row once confirmed.
  await addSession(form, date2, title2, ["Giao thông, đường sá"]);
  const row2 = page.locator("tr", { has: page.getByRole("link", { name: title2 }) });
  await row2.waitFor();
  const listedNow = await page.evaluate(async () => (await (await fetch("/api/v1/sessions")).json()).items);
  const added2 = listedNow.find((x) => x.date === date2 && x.origin === "added");
  check(added2 && JSON.stringify(added2.topics) === '["roads"]', `the session's topics: ${JSON.stringify(added2 && added2.topics)}`);
  let asked = "";
  page.once("dialog", (d) => { asked = d.message(); d.accept(); });
  await row2.getByRole("button", { name: "Xóa: " + title2 }).click();
  await until("the deletion", async () => (await page.locator("#flash").innerText()).includes("Đã xóa buổi đối thoại"));
  check(asked.includes(title2), `the confirmation asked: ${asked}`);
  check((await page.getByRole("link", { name: title2 }).count()) === 0, "the deleted session is still listed");
  check((await page.getByRole("link", { name: title }).count()) === 1, "the other added session went too");

  // A year of sessions is paged; the commune is found by its name typed without accents, and
  // the list keeps only its sessions.
  await page.goto(base + "/#/sessions");
  const filter = page.locator("form", { has: page.getByRole("button", { name: "Xem" }) });
  await filter.waitFor();
  check((await page.getByRole("link", { name: /^Theo dõi lịch đối thoại/ }).getAttribute("href")) === "/sessions.ics", "the whole province's calendar is not linked");
  const shown = async () => page.locator("main table tbody tr:not(.edit-row)").allInnerTexts();
  check((await page.locator("main").innerText()).includes("Trang 1/"), "a year of sessions is not paged");
  check((await shown()).length === 50, `page 1 lists ${(await shown()).length} sessions`);
  await filter.getByLabel("Xã, phường", { exact: true }).fill("bat xat");
  await filter.getByRole("button", { name: "Xem" }).click();
  await until("the commune's sessions", async () => (await shown()).length > 0 && (await shown()).length < 50);
  for (const r of await shown()) check(r.includes("Bát Xát") || r.includes(title), `another commune's session: ${r}`);
  check((await filter.getByLabel("Xã, phường", { exact: true }).inputValue()) === "Xã Bát Xát", "the box does not name the commune");
  // The calendar to subscribe to is the commune's, and it is served.
  const calendar = page.getByRole("link", { name: /^Theo dõi lịch đối thoại/ });
  check((await calendar.getAttribute("href")) === "/sessions.ics?commune=02683", `calendar link: ${await calendar.getAttribute("href")}`);
  const feed = await page.evaluate(async () => { const r = await fetch("/sessions.ics?commune=02683"); return r.status + " " + (await r.text()).slice(0, 15); });
  check(feed === "200 BEGIN:VCALENDAR", `the calendar link gives ${feed}`);
  // A name that is no commune is said so, not silently ignored.
  await filter.getByLabel("Xã, phường", { exact: true }).fill("khong co xa nao ten nay");
  await filter.getByRole("button", { name: "Xem" }).click();
  await until("the unsure commune", async () => (await page.locator("#flash").innerText()).includes("Chưa rõ xã, phường nào"));

  // The accounts page: an official of Bát Xát, whose one-time password is shown once.
  await page.getByRole("link", { name: "Tài khoản" }).click();
  const add = page.getByRole("form", { name: "Thêm tài khoản" });
  await add.getByLabel("Tên đăng nhập").fill("minh");
  await add.getByLabel("Vai trò").selectOption("official");
  // The scope picker finds the commune by its name typed without accents.
  await add.getByLabel("Phạm vi (cán bộ)").fill("bat xat");
  await add.getByRole("button", { name: /^\+ Xã Bát Xát/ }).click();
  check((await add.locator("li.chip").allInnerTexts()).some((c) => c.includes("Xã Bát Xát")), "Bát Xát is not in the chosen scope");
  await add.getByRole("button", { name: "Thêm tài khoản" }).click();
  const secret = page.locator("output.secret");
  await secret.waitFor();
  const oneTime = (await secret.innerText()).trim();
  check(/^[a-z0-9-]{23}$/.test(oneTime), `one-time password: ${oneTime}`);
  const listed = page.locator("tr", { hasText: "minh" });
  check((await listed.innerText()).includes("Xã Bát Xát"), `row: ${await listed.innerText()}`);
  // Shown once: drawn again, the page no longer has it.
  await page.reload();
  await page.getByRole("heading", { name: "Tài khoản", exact: true }).waitFor();
  check(!(await page.locator("body").innerText()).includes(oneTime), "the password is shown twice");

  // The official logs in with it and must change it first.
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await page.getByLabel("Tên đăng nhập").waitFor();
  await logIn(page, base, "minh", oneTime, "minh-own-password-2026");
  check((await page.locator("#who").innerText()).includes("minh (Cán bộ)"), "not logged in as minh");
  check(!(await page.locator("#nav").innerText()).includes("Tài khoản"), "an official sees the accounts page");

  check(outside.length === 0, `requests left the gateway: ${outside.join(", ")}`);
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  console.log(`PASS: added and cancelled ${title} on ${date}; added official minh, who logged in and replaced the one-time password`);
} catch (e) {
  console.error(`FAIL: ${e.stack || e}`);
  if (page) console.error("page: " + (await page.locator("body").innerText().catch(() => "")).slice(0, 2000));
  if (gateway) console.error(gateway.stderr());
  status = 1;
} finally {
  if (browser) await browser.close();
  if (gateway) await stopGateway(gateway);
  rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
