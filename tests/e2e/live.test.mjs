// The meeting, in a real browser on a tablet (issue 19 items 4 and 7): two citizens of Bát Xát
// write about a road over Telegram (to a mock Bot API). The secretary opens the agenda's
// meeting mode at 1024×768, marks the road group raised, answers it in a few taps with work
// assigned to an office and who answered (each citizen reads the answer and who gave it; the
// next answer form offers the same speaker), adds a concern a citizen raised aloud in the room
// (filed to this very session, raised), and prints the minutes: the A4 page shows the speaker,
// the assignment and the concern raised in the room. Screenshots at 1024×768, 768×1024 and
// 390×844.
//
//   DGW_E2E_SCREENSHOTS=/tmp/shots node tests/e2e/live.test.mjs path/to/dialogue-gateway
//
// Exit 0 = passed, 1 = failed, 77 = skipped (only when /usr/bin/chromium is absent).
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { check, cleanUp, firstPassword, launch, loadPlaywright, logInFirstTime, mockTelegram, openPage,
         reportFailure, sayTelegram, startGateway, telegramChannel, until, watchCsp } from "./lib.mjs";

const binary = process.argv[2] || process.env.DGW_BINARY;
const playwright = loadPlaywright(binary);
const token = "5550005555:AAE-liveMeetingBrowserTestToken01234";
const secret = "tg-live-secret";
const shots = process.env.DGW_E2E_SCREENSHOTS || "";
if (shots) mkdirSync(shots, { recursive: true });

const mock = mockTelegram();
const dir = mkdtempSync(join(tmpdir(), "dgw-e2e-live-"));
let gateway, browser, page;
let status = 0;

const sentTo = (chat, words, from = 0) =>
  mock.sent.slice(from).filter((m) => String(m.chat_id) === String(chat) && m.text.includes(words));

try {
  const mockPort = await mock.ready;
  // With a public address and the bot's name, the agenda offers invitations to the session.
  gateway = startGateway(binary, dir,
    [{ ...telegramChannel(token, secret, mockPort), bot_username: "LaoCaiDoiThoaiBot" }, { id: "web", type: "webchat" }],
    { notifications: { public_url: "https://doithoai.laocai.example" } });
  const base = await gateway.url;
  const password = await firstPassword(gateway);
  const says = {
    840001: "duong vao thon o xa Bat Xat bi sat lo, xe may khong di duoc",
    840002: "duong vao thon o xa Bat Xat bi sat lo, xe may khong di duoc",
  };
  for (const [chat, line] of Object.entries(says)) {
    await sayTelegram(base, secret, Number(chat), line);
    await sayTelegram(base, secret, Number(chat), "gui an danh");
  }
  const refs = await until("two receipts", () => {
    const found = Object.keys(says).map((c) => sentTo(c, "LC-").map((m) => /LC-[0-9A-Z]{5}/.exec(m.text)[0])[0]);
    return found.every(Boolean) ? found : null;
  });

  browser = await launch(playwright);
  const opened = await openPage(browser, base, { viewport: { width: 1024, height: 768 } });
  page = opened.page;
  const { outside, errors } = opened;
  const cspViolations = await watchCsp(page);
  const dialogs = [];
  page.on("dialog", (d) => { dialogs.push(d.message()); d.accept(); });
  await logInFirstTime(page, base, password);

  // From the concern to its session's agenda, then the meeting mode.
  await page.goto(`${base}/#/concerns/${refs[0]}`);
  await page.locator("main a[href^='#/sessions/']").first().click();
  await page.getByRole("heading", { name: "Chương trình (nhóm phản ánh)" }).waitFor();
  // The invitations to hand out: a link and a QR code per chat that can be opened on it.
  const invite = page.locator("section.invite");
  await invite.getByRole("heading", { name: "Mời người dân gửi ý kiến cho buổi này" }).waitFor();
  const links = await invite.locator("a").evaluateAll((as) => as.map((a) => a.href));
  const session = decodeURIComponent(new URL(page.url().replace("#/", "")).pathname.split("/").pop());
  check(links.length === 2 && links.includes(`https://t.me/LaoCaiDoiThoaiBot?start=moi_${session}`) &&
        links.includes(`https://doithoai.laocai.example/chat/web?start=moi_${session}`), `the invitations: ${links.join(" ")}`);
  await until("the QR codes drawn", async () => {
    const drawn = await invite.locator("img").evaluateAll((imgs) => imgs.map((i) => i.complete && i.naturalWidth > 0));
    return drawn.length === 2 && drawn.every(Boolean);
  });
  if (shots) await invite.screenshot({ path: join(shots, "invite-1024.png") });
  // The web chat opened by that link sends the invitation with the citizen's message.
  const chat = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const posted = [];
  chat.on("request", (r) => { if (r.method() === "POST" && r.url().includes("/webhooks/web")) posted.push(r.postData() || ""); });
  await chat.goto(`${base}/chat/web?start=moi_${session}`);
  await chat.locator("#start").click();
  await until("the chat's message", () => posted.some((b) => b.includes(`"invite":"moi_${session}"`)));
  await chat.close();
  await page.getByRole("link", { name: "Chế độ hội nghị (máy tính bảng)" }).click();
  const progress = page.locator(".live-progress");
  await progress.waitFor();
  check((await progress.innerText()).includes("Đã nêu 0/1 nhóm"), `progress: ${await progress.innerText()}`);
  if (shots) await page.screenshot({ path: join(shots, "live-start-1024.png"), fullPage: true });

  // Raised with one tap.
  const road = page.locator("section.live-group").first();
  await road.getByRole("button", { name: "Đánh dấu đã nêu" }).click();
  await until("the group marked raised", async () => (await progress.innerText()).includes("Đã nêu 1/1 nhóm"));
  const raisedButton = page.locator("section.live-group").first().getByRole("button", { name: "✓ Đã nêu" });
  check((await raisedButton.getAttribute("aria-pressed")) === "true", "the raised button says it is pressed");

  // The answer in a few taps: text, "Giao việc", office, deadline, promise; record.
  const deadline = new Date(Date.now() + 20 * 864e5).toISOString().slice(0, 10);
  const group = page.locator("section.live-group").first();
  await group.getByRole("button", { name: "Trả lời" }).click();
  await group.getByRole("textbox", { name: /Nội dung trả lời/ }).fill("Xã sẽ kè lại đoạn đường sạt lở trước mùa mưa.");
  await group.getByRole("radio", { name: "Giao việc" }).click();
  await group.getByLabel("Đơn vị thực hiện").fill("Ban quản lý dự án xã");
  await group.getByLabel("Hạn xử lý", { exact: true }).fill(deadline);
  await group.getByLabel("Việc đã hứa").fill("Kè đoạn sạt lở dài 40 m");
  // Who answers: typed once, offered again in the next answer form.
  await group.getByLabel("Người trả lời (họ tên)").fill("Ông Lê Văn Bình");
  await group.getByLabel("Chức vụ, đơn vị").fill("Trưởng phòng Kinh tế xã");
  await group.getByLabel("Chức vụ, đơn vị").press("Tab");
  if (shots) await page.screenshot({ path: join(shots, "live-answer-1024.png"), fullPage: true });
  await group.getByRole("button", { name: "Ghi và báo người dân" }).click();
  await until("the answers at the Bot API", () =>
    Object.keys(says).every((c) => sentTo(c, "Xã sẽ kè lại đoạn đường sạt lở").length === 1));
  const told = sentTo(840001, "Xã sẽ kè lại")[0].text;
  check(told.includes("Người trả lời: Ông Lê Văn Bình, Trưởng phòng Kinh tế xã") && told.includes("Ban quản lý dự án xã"),
    `the citizen reads who answered and who does the work: ${told}`);
  await until("the progress after the answer", async () => (await progress.innerText()).includes("đã trả lời 1/1"));
  const answered = await page.locator("section.live-group").first().innerText();
  check(answered.includes("— Ông Lê Văn Bình, Trưởng phòng Kinh tế xã") && answered.includes("giao Ban quản lý dự án xã"),
    `the group shows the answer's speaker and work: ${answered}`);

  // A concern raised aloud in the room, on this session, already raised.
  const add = page.locator("form.live-add");
  await add.getByLabel("Lĩnh vực").selectOption({ label: "Đất đai" });
  await add.getByLabel("Nội dung").fill("Xin cấp giấy chứng nhận quyền sử dụng đất cho 12 hộ thôn Trung Chải");
  await add.getByRole("button", { name: "Thêm ý kiến" }).click();
  await until("the concern raised in the room", async () => (await progress.innerText()).includes("Đã nêu 2/2 nhóm"));
  const flash = await page.locator("#flash").innerText();
  check(/Đã thêm ý kiến LC-[0-9A-Z]{5} vào buổi đối thoại/.test(flash), `the flash: ${flash}`);
  if (shots) await page.screenshot({ path: join(shots, "live-after-1024.png"), fullPage: true });

  // The speaker stays for the next answer (kept on this device), and the layout holds upright
  // and on a phone.
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.reload();
  await progress.waitFor();
  const second = page.locator("section.live-group").nth(1);
  await second.getByRole("button", { name: "Trả lời" }).click();
  check((await second.getByLabel("Người trả lời (họ tên)").inputValue()) === "Ông Lê Văn Bình", "the speaker is kept for the next answer");
  if (shots) await page.screenshot({ path: join(shots, "live-768.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await progress.waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(overflow <= 0, `the page scrolls sideways on a phone by ${overflow}px`);
  if (shots) await page.screenshot({ path: join(shots, "live-390.png"), fullPage: true });

  // The minutes, printed from here.
  const [minutes] = await Promise.all([page.waitForEvent("popup"), page.getByRole("link", { name: "In biên bản" }).click()]);
  await minutes.getByRole("heading", { name: "BIÊN BẢN HỘI NGHỊ ĐỐI THOẠI" }).waitFor();
  const record = await minutes.locator("body").innerText();
  for (const part of ["Ông Lê Văn Bình, Trưởng phòng Kinh tế xã", "Giao Ban quản lý dự án xã thực hiện", "nêu tại hội nghị: 1",
                      "Xin cấp giấy chứng nhận quyền sử dụng đất", "III. NỘI DUNG ĐỐI THOẠI"])
    check(record.includes(part), `the minutes lack "${part}": ${record.slice(0, 1500)}`);
  check(!refs.some((r) => record.includes(r)) && !record.includes("840001"), "the minutes show a reference or a chat id");
  if (shots) {
    await minutes.setViewportSize({ width: 900, height: 1200 });
    await minutes.screenshot({ path: join(shots, "minutes-a4.png"), fullPage: true });
  }

  const csp = await cspViolations();
  check(csp.length === 0, `CSP violations: ${csp.join("; ")}`);
  check(outside.length === 0, `requests left the gateway: ${outside.join(", ")}`);
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  check(dialogs.length === 0, `no dialog was expected: ${dialogs.join(" | ")}`);
  console.log(`PASS: ${refs.join(", ")} raised and answered with work assigned, a concern added from the room, the minutes printed`);
} catch (e) {
  await reportFailure(e, page, gateway);
  status = 1;
} finally {
  await cleanUp({ browser, gateway, mock, dir });
}
process.exit(status);
