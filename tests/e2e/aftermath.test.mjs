// After the meeting, in a real browser (issue 19): two citizens of Bát Xát write about a road
// over Telegram (to a mock Bot API). An official answers the group on the agenda page and
// assigns the work to an office with a deadline (preview, confirm); each citizen reads who does
// what by when. One replies "chua thoa dang" and why: the concern is re-opened under a new
// reference. The official sends the session's citizens a note (confirmed in a dialog), then
// reports the assigned work done on the "Việc được giao" page: the citizens are told. The
// concern page shows the citizen's say, the assignment and its result. The second citizen's
// photo of the landslide, once the official ticks "Công bố ảnh này trên trang kết quả", shows on the
// public page beside the answer (and nothing of the first citizen's words). Screenshots at
// 1366×768 and 390×844.
//
//   DGW_E2E_SCREENSHOTS=/tmp/shots node tests/e2e/aftermath.test.mjs path/to/dialogue-gateway
//
// Exit 0 = passed, 1 = failed, 77 = skipped (only when /usr/bin/chromium is absent).
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { check, cleanUp, firstPassword, launch, loadPlaywright, logInFirstTime, mockTelegram, openPage,
         photoTelegram, reportFailure, sayTelegram, startGateway, telegramChannel, until, watchCsp } from "./lib.mjs";

const binary = process.argv[2] || process.env.DGW_BINARY;
const playwright = loadPlaywright(binary);
const token = "5550004444:AAE-aftermathBrowserTestToken0123456";
const secret = "tg-aftermath-secret";
const shots = process.env.DGW_E2E_SCREENSHOTS || "";
if (shots) mkdirSync(shots, { recursive: true });

const mock = mockTelegram();
const dir = mkdtempSync(join(tmpdir(), "dgw-e2e-aftermath-"));
let gateway, browser, page;
let status = 0;

const sentTo = (chat, words, from = 0) =>
  mock.sent.slice(from).filter((m) => String(m.chat_id) === String(chat) && m.text.includes(words));

try {
  const mockPort = await mock.ready;
  gateway = startGateway(binary, dir, [telegramChannel(token, secret, mockPort)]);
  const base = await gateway.url;
  const password = await firstPassword(gateway);
  const chats = [830001, 830002];
  // A real PNG (1×1), as a phone would send a small photo.
  mock.files.set("AgACsatlo", Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64"));
  for (const chat of chats) {
    await sayTelegram(base, secret, chat, "duong vao thon o xa Bat Xat bi sat lo, xe may khong di duoc");
    // Stored in arrival order: the photo goes with the concern the next message files.
    if (chat === chats[1]) await photoTelegram(base, secret, chat, "AgACsatlo");
    await sayTelegram(base, secret, chat, "gui an danh");
  }
  const refs = await until("two receipts", () => {
    const found = chats.map((c) => sentTo(c, "LC-").map((m) => /LC-[0-9A-Z]{5}/.exec(m.text)[0])[0]);
    return found.every(Boolean) ? found : null;
  });

  browser = await launch(playwright);
  const opened = await openPage(browser, base, { viewport: { width: 1366, height: 768 } });
  page = opened.page;
  const { outside, errors } = opened;
  const cspViolations = await watchCsp(page);
  const dialogs = [];
  page.on("dialog", (d) => { dialogs.push(d.message()); d.accept(); });
  await logInFirstTime(page, base, password);

  // The agenda of their session, from the first concern's page.
  await page.goto(`${base}/#/concerns/${refs[0]}`);
  await page.locator("main a[href^='#/sessions/']").first().click();
  await page.getByRole("heading", { name: "Chương trình (nhóm phản ánh)" }).waitFor();
  const group = page.locator("section.group", { has: page.locator(`a[href="#/concerns/${refs[0]}"]`) });
  const deadline = new Date(Date.now() + 30 * 864e5).toISOString().slice(0, 10);
  await group.getByLabel("Nội dung trả lời").fill("UBND xã sẽ khắc phục đoạn đường sạt lở.");
  await group.getByLabel("Giao việc cho một đơn vị (có hạn xử lý)").check();
  await group.getByLabel("Đơn vị thực hiện").fill("Phòng Kinh tế xã Bát Xát");
  await group.getByLabel("Hạn xử lý", { exact: true }).fill(deadline);
  await group.getByLabel("Việc đã hứa").fill("Dọn đất đá và gia cố taluy");
  await group.getByLabel("Công khai câu trả lời trên trang kết quả", { exact: false }).check();
  await group.getByRole("button", { name: "Xem trước người nhận" }).click();
  await group.locator(".confirm").getByRole("button", { name: "Xác nhận và gửi" }).click();
  await until("the answers with the assignment", () =>
    chats.every((c) => sentTo(c, "Việc được giao cho Phòng Kinh tế xã Bát Xát").length === 1));
  const answerText = sentTo(chats[0], "Việc được giao")[0].text;
  check(answerText.includes("Dọn đất đá và gia cố taluy") && answerText.includes("Đã thỏa đáng"), `the answer reads: ${answerText}`);

  // The first citizen is not satisfied, and says why: re-opened under a new reference.
  const before = mock.sent.length;
  await sayTelegram(base, secret, chats[0], "chua thoa dang");
  await until("the question why", () => sentTo(chats[0], "vì sao", before).length === 1);
  await sayTelegram(base, secret, chats[0], "da 2 tuan van chua thay ai den don dat");
  const reopened = await until("the re-opening", () => {
    const m = sentTo(chats[0], "mở lại với mã mới", before)[0];
    return m ? /LC-[0-9A-Z]{5}/.exec(m.text)[0] : null;
  });
  check(reopened !== refs[0], "the re-opened concern has its own reference");

  // A note to the session's citizens, confirmed in a dialog.
  await page.reload();
  await page.getByRole("heading", { name: "Gửi thông báo cho người dân của buổi này" }).waitFor();
  await page.getByLabel("Nội dung thông báo").fill("Buổi đối thoại bắt đầu lúc 8 giờ, mời bà con đến sớm.");
  await page.getByRole("button", { name: "Xem trước và gửi" }).click();
  await until("the note", () => chats.every((c) => sentTo(c, "mời bà con đến sớm").length === 1));
  check(dialogs.some((d) => /Gửi thông báo tới [23] người dân \(Telegram: [23]\)/.test(d)), `the note's confirmation: ${dialogs.join(" | ")}`);
  if (shots) await page.screenshot({ path: join(shots, "agenda-note-1366.png"), fullPage: true });

  // The assigned work: listed, then reported done; the citizens are told.
  await page.getByRole("link", { name: "Việc được giao", exact: true }).click();
  await page.getByRole("heading", { name: "Việc được giao sau đối thoại" }).waitFor();
  const rows = page.locator("table.followups tbody tr");
  await until("the assigned items", async () => (await rows.count()) === 2);
  const listed = await page.locator("table.followups").innerText();
  const shown = deadline.split("-").reverse().join("/");  // as Vietnamese write a date
  check(listed.includes("Phòng Kinh tế xã Bát Xát") && listed.includes(shown) && listed.includes("Dọn đất đá"), `the list: ${listed}`);
  if (shots) await page.screenshot({ path: join(shots, "followups-1366.png"), fullPage: true });
  const row = page.locator(`table.followups tr[data-ref='${refs[1]}']`);
  await row.getByRole("textbox").fill("Đã dọn xong đất đá ngày 15/12, xe máy đi lại bình thường.");
  await row.getByRole("button", { name: "Báo hoàn thành" }).click();
  await until("the close at the Bot API", () => sentTo(chats[1], "Đã dọn xong đất đá").length === 1);
  check(sentTo(chats[1], "đã hoàn thành").length === 1, "the citizen is told the work is done");
  await until("the list after the close", async () => (await rows.count()) === 1);

  // The concern page: the citizen's say and the assignment.
  await page.goto(`${base}/#/concerns/${refs[0]}`);
  await page.locator("p.verdict").waitFor();
  const concern = await page.locator("main").innerText();
  check(concern.includes("chưa thỏa đáng") && concern.includes("da 2 tuan van chua thay ai den don dat"), `the verdict: ${concern.slice(0, 1200)}`);
  check(concern.includes("giao Phòng Kinh tế xã Bát Xát"), "the assignment is shown");
  check(concern.includes("Người dân cho ý kiến về câu trả lời"), "the verdict is in the history");
  if (shots) await page.screenshot({ path: join(shots, "concern-verdict-1366.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/#/followups?state=all`);
  await page.getByRole("heading", { name: "Việc được giao sau đối thoại" }).waitFor();
  if (shots) await page.screenshot({ path: join(shots, "followups-390.png"), fullPage: true });

  // The second citizen's photo, shown on the public page by the official's choice.
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`${base}/#/concerns/${refs[1]}`);
  const showIt = page.getByLabel("Công bố ảnh này trên trang kết quả");
  await until("the kept photo", async () => {
    if (await showIt.count()) return true;
    await page.reload();
    await page.getByRole("heading", { name: refs[1] }).waitFor();
    return false;
  });
  await showIt.check();
  await until("the publish", async () => (await page.locator("#flash").innerText()).includes("Ảnh sẽ hiện trên trang kết quả"));
  await page.reload();
  await page.getByText("Công bố ảnh trên trang kết quả · admin").waitFor();  // the history, in words
  check(await showIt.isChecked(), "the box forgets the choice");
  if (shots) await page.screenshot({ path: join(shots, "concern-photo-publish-1366.png"), fullPage: true });

  // The public page, on a phone, without a login: the answer and the work, no citizen's words.
  const visitor = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await visitor.goto(`${base}/ket-qua`);
  await visitor.getByRole("heading", { name: "Kết quả đối thoại với Nhân dân" }).waitFor();
  const open = await visitor.locator("main").innerText();
  check(open.includes("UBND xã sẽ khắc phục đoạn đường sạt lở.") && open.includes("Phòng Kinh tế xã Bát Xát"), `the public page: ${open.slice(0, 800)}`);
  check(!open.includes("duong vao thon") && !open.includes("da 2 tuan") && !refs.some((r) => open.includes(r)), "the public page shows a citizen's words or a reference");
  const picture = visitor.locator(".photos img");
  check(await picture.count() === 1, `the published photo: ${await picture.count()} images`);
  await until("the photo drawn", async () => picture.evaluate((img) => img.complete && img.naturalWidth === 1));
  if (shots) await visitor.screenshot({ path: join(shots, "ket-qua-390.png"), fullPage: true });
  await visitor.close();

  const csp = await cspViolations();
  check(csp.length === 0, `CSP violations: ${csp.join("; ")}`);
  check(outside.length === 0, `requests left the gateway: ${outside.join(", ")}`);
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  console.log(`PASS: answered with an assignment, ${refs[0]} re-opened as ${reopened}, a note confirmed and sent, ${refs[1]}'s work reported done`);
} catch (e) {
  await reportFailure(e, page, gateway);
  status = 1;
} finally {
  await cleanUp({ browser, gateway, mock, dir });
}
process.exit(status);
