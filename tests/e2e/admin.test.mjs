// The officials' web app in a real browser (issue 7 §6): three citizens file concerns over
// Telegram (webhooks as Telegram posts them, replies to a mock Bot API in this process), each
// in one message; an official logs in with the first-start admin password, replaces it, opens
// the session the concerns were filed to, merges two of them, records an answer for the group
// after a preview of who will be told, sees every citizen's notification arrive at the mock
// Bot API once and a second send refused; exports the agenda as CSV;
// corrects the topic read from one message and sees the dashboard count it. Nothing may leave
// localhost.
//
//   node tests/e2e/admin.test.mjs path/to/dialogue-gateway
//
//   DGW_E2E_SCREENSHOT=/tmp/admin.png node tests/e2e/admin.test.mjs ...   (and keep screenshots)
//
// Exit 0 = passed, 1 = failed, 77 = skipped (only when /usr/bin/chromium is absent).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { check, cleanUp, firstPassword, launch, loadPlaywright, logInFirstTime, mockTelegram, openPage, reportFailure, sayTelegram,
         startGateway, telegramChannel, until } from "./lib.mjs";

const binary = process.argv[2] || process.env.DGW_BINARY;
const playwright = loadPlaywright(binary);
const token = "5550002222:AAE-adminBrowserTestToken0123456789";
const secret = "tg-admin-secret";

const say = (base, chat, text) => sayTelegram(base, secret, chat, text);

const mock = mockTelegram();
const dir = mkdtempSync(join(tmpdir(), "dgw-e2e-admin-"));
let gateway, browser, page;
let status = 0;
try {
  const mockPort = await mock.ready;
  gateway = startGateway(binary, dir, [telegramChannel(token, secret, mockPort)]);
  const base = await gateway.url;
  const password = await firstPassword(gateway);

  // Three citizens of the same commune raise the same problem, in their own words, each in one
  // message and the send button (typed).
  const chats = [810001, 810002, 810003];
  const descriptions = ["duong vao thon o xa Bat Xat bi sat lo, xe may khong di duoc",
                        "sat lo duong vao thon, xa Bat Xat, xe may khong qua duoc",
                        "Bat Xat: duong thon bi sat lo nang, xe may khong di duoc"];
  for (const [i, chat] of chats.entries()) {
    for (const line of [descriptions[i], "gui an danh"]) await say(base, chat, line);
  }
  const receipts = await until("three receipts", () => {
    const refs = mock.sent.map((m) => (/LC-[0-9A-Z]{5}/.exec(m.text) || [])[0]).filter(Boolean);
    return refs.length >= 3 ? [...new Set(refs)] : null;
  });
  check(receipts.length === 3, `receipts: ${receipts}`);
  console.log(`receipts: ${receipts}`);

  browser = await launch(playwright);
  const opened = await openPage(browser, base, { viewport: { width: 1024, height: 1366 }, acceptDownloads: true });
  page = opened.page;
  const { outside, errors } = opened;
  await logInFirstTime(page, base, password);

  // The concerns list, then one concern, then its session's agenda.
  await page.getByRole("link", { name: "Phản ánh", exact: true }).click();
  await page.getByRole("link", { name: receipts[0] }).click();
  await page.getByRole("heading", { name: new RegExp(receipts[0]) }).waitFor();
  // The topic and the commune were read from the message: the page says so.
  check((await page.locator("main").innerText()).includes("đọc tự động từ tin nhắn"), "no mark of what was read");
  await page.locator("main a[href^='#/sessions/']").first().click();
  await page.getByRole("heading", { name: "Chương trình (nhóm phản ánh)" }).waitFor();

  // Merge the second concern into the first.
  await page.getByLabel("Gộp phản ánh").selectOption(receipts[1]);
  await page.getByLabel("vào phản ánh").selectOption(receipts[0]);
  await page.getByRole("button", { name: "Gộp phản ánh" }).click();
  await until("the merge", async () => (await page.locator("#flash").innerText()).includes("Đã lưu"));

  // Answer the group the first concern is in. The page first says who will be told and on
  // which channel, sending nothing; the official confirms; every citizen in it is told once.
  // (A group's references are folded away: found in the page, not among what is shown.)
  const group = () => page.locator("section.group", { has: page.locator(`a[href="#/concerns/${receipts[0]}"]`) });
  const answer = "UBND xã sẽ khắc phục đoạn đường sạt lở trước ngày 20/12/2026.\nĐội thi công vào từ ngày 10/12.";
  const before = mock.sent.length;
  await group().getByLabel("Nội dung trả lời").fill(answer);
  await group().getByRole("button", { name: "Xem trước người nhận" }).click();
  const confirm = group().locator(".confirm");
  await confirm.getByRole("button", { name: "Xác nhận và gửi" }).waitFor();
  const preview = await confirm.innerText();
  check(/Sẽ gửi [23] tin nhắn tới [23] người dân/.test(preview) && preview.includes("Theo kênh: Telegram: ") && !preview.includes("telegram"), `the preview says: ${preview}`);
  if (process.env.DGW_E2E_SCREENSHOT) await page.screenshot({ path: process.env.DGW_E2E_SCREENSHOT.replace(/\.png$/, "-answer-confirm.png"), fullPage: true });
  await new Promise((r) => setTimeout(r, 300));
  check(mock.sent.length === before, "something was sent before the official confirmed");
  await confirm.getByRole("button", { name: "Xác nhận và gửi" }).click();
  const firstLine = answer.split("\n")[0];
  const expected = Number(/Sẽ gửi (\d+) tin nhắn/.exec(preview)[1]);
  const told = await until("the answers at the Bot API", () => {
    const notes = mock.sent.slice(before).filter((m) => m.text.includes(firstLine));
    return notes.length >= expected ? notes : null;
  });
  const toldChats = new Set(told.map((m) => String(m.chat_id)));
  check(toldChats.has(String(chats[0])), `the first citizen was not told: ${[...toldChats]}`);
  check(told.every((m) => !m.text.includes("Your concern")), "a Vietnamese citizen got English");

  // The group now shows the answer (line breaks kept) and who gave it; the same answer
  // cannot be sent again.
  await group().locator(".answered-block").waitFor();
  const answered = await group().locator(".answered-block").innerText();
  check((await group().innerText()).includes("Đã trả lời"), "the group is not marked answered");
  check(answered.includes("Đội thi công vào từ ngày 10/12."), `the group shows: ${answered}`);
  check(answered.includes("\n") || (await group().locator(".answer-text").evaluate((e) => getComputedStyle(e).whiteSpace)) === "pre-wrap", "the answer's line break is lost");
  const sentOnce = mock.sent.length;
  // Answered: the answer form is folded away under "Đính chính câu trả lời".
  check(!(await group().getByLabel("Đính chính câu trả lời").isVisible()), "the answer form stays open after answering");
  await group().locator("summary", { hasText: "Đính chính câu trả lời" }).click();
  await group().getByLabel("Đính chính câu trả lời").fill(answer);
  await group().getByRole("button", { name: "Xem trước người nhận" }).click();
  await until("the refusal to send twice", async () => (await group().locator(".confirm").innerText()).includes("không có gì để gửi thêm"));
  check(await group().getByRole("button", { name: "Xác nhận và gửi" }).count() === 0, "a second send is offered");
  if (process.env.DGW_E2E_SCREENSHOT) await page.screenshot({ path: process.env.DGW_E2E_SCREENSHOT.replace(/\.png$/, "-answered.png"), fullPage: true });
  await new Promise((r) => setTimeout(r, 300));
  check(mock.sent.length === sentOnce, "the same answer was sent twice");

  // The agenda page says who was told, and how: every citizen of the answer reached by an
  // ordinary message (Telegram allows one at any time).
  const reach = await until("the answer's reach on the agenda page", async () => {
    await page.reload();
    await page.getByRole("heading", { name: "Người dân đã nhận được trả lời chưa" }).waitFor();
    const text = await page.locator("main").innerText();
    return text.includes(`đã nhận: ${toldChats.size}`) && text.includes(`tin nhắn thường: ${toldChats.size}`)
      ? text : null;
  });
  check(!reach.includes("không gửi được: 1"), "an answer could not be sent");

  // The agenda as CSV: a BOM for Excel, the groups, no personal data.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Xuất CSV" }).click()]);
  const csv = readFileSync(await download.path()).toString("utf8");
  check(csv.charCodeAt(0) === 0xfeff, "the CSV has no byte-order mark");
  check(csv.includes("Số phản ánh") && csv.includes("Bát Xát"), `CSV: ${csv.slice(0, 300)}`);
  for (const chat of chats) check(!csv.includes(String(chat)), "the CSV names a citizen");

  // The printable A4 page: an administrative document, topics by name, nothing clipped.
  const [printPage] = await Promise.all([page.context().waitForEvent("page"), page.getByRole("link", { name: "In (A4)" }).click()]);
  await printPage.waitForLoadState();
  await printPage.setViewportSize({ width: 794, height: 1123 });  // A4 at 96 dpi
  const printed = await printPage.locator("body").innerText();
  for (const part of ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ỦY BAN NHÂN DÂN XÃ BÁT XÁT", "Bát Xát, ngày", "Giao thông, đường sá", "NGƯỜI LẬP DANH SÁCH"])
    check(printed.includes(part), `the A4 page lacks ${part}`);
  check(!/\broads\b/.test(printed), "the A4 page shows a topic id");
  const fits = await printPage.evaluate(() => document.querySelector("table").scrollWidth <= document.body.clientWidth + 1);
  check(fits, "the A4 table is wider than the page");
  if (process.env.DGW_E2E_SCREENSHOT) await printPage.screenshot({ path: process.env.DGW_E2E_SCREENSHOT.replace(/\.png$/, "-a4.png"), fullPage: true });
  await printPage.close();

  // The concerns list filtered by a commune typed without accents, and by a session's name.
  await page.goto(`${base}/#/concerns`);
  const filters = page.locator("form", { has: page.getByRole("button", { name: "Lọc" }) });
  await filters.getByLabel("Xã, phường", { exact: true }).fill("Bat Xat");
  await filters.getByRole("button", { name: "Lọc" }).click();
  // The page is drawn again with the filter, the box now naming the commune.
  await until("the commune filter", async () => (await filters.getByLabel("Xã, phường", { exact: true }).inputValue()) === "Xã Bát Xát");
  check((await page.evaluate(() => location.hash)).includes("commune=02683"), "the filter is not Bát Xát's code");
  check((await page.locator("main").innerText()).includes(`1–${receipts.length} trên ${receipts.length}`), "not every concern of Bát Xát is listed");
  check((await page.locator("main table").innerText()).includes("Giao thông, đường sá"), "the list shows a topic id");
  await filters.getByLabel("Xã, phường", { exact: true }).fill("Xa Y Ty");
  await filters.getByRole("button", { name: "Lọc" }).click();
  await until("another commune", async () => (await filters.getByLabel("Xã, phường", { exact: true }).inputValue()) === "Xã Y Tý");
  check((await page.locator("main").innerText()).includes("trên 0"), "another commune's list is not empty");

  // The third concern was about the environment after all: corrected (audited, filed again),
  // and the dashboard counts it per topic read.
  await page.goto(`${base}/#/concerns/${receipts[2]}`);
  const correction = page.getByRole("form", { name: "Sửa lĩnh vực, xã/phường" });
  await correction.getByLabel("Lĩnh vực").selectOption("environment");
  await correction.getByRole("button", { name: "Sửa lĩnh vực, xã/phường" }).click();
  await until("the correction", async () => (await page.locator("#flash").innerText()).includes("Đã sửa"));
  check((await page.locator("main").innerText()).includes("trước là Giao thông, đường sá"), "the correction is not shown");
  // The concern page says when and by which platform it came, and its history in words.
  const concernPage = await page.locator("main").innerText();
  if (process.env.DGW_E2E_SCREENSHOT) await page.screenshot({ path: process.env.DGW_E2E_SCREENSHOT.replace(/\.png$/, "-concern.png"), fullPage: true });
  check(concernPage.includes("Gửi qua Telegram lúc"), "no filing time and platform");
  for (const words of ["Tiếp nhận qua Telegram", "Trả lời", "Sửa lĩnh vực, xã/phường"])
    check(concernPage.includes(words), `the history lacks "${words}": ${concernPage}`);
  check(!/\b(concern|agenda)\.[a-z_]+/.test(concernPage), `the history shows an action id: ${concernPage}`);
  await page.getByRole("link", { name: "Tổng quan", exact: true }).click();
  const roads = page.locator("table.reading tr[data-topic='roads']");
  await roads.waitFor();
  const row = await roads.innerText();
  check(row.includes("1 / 3 (33%)"), `the dashboard counts ${row}`);

  // Another citizen raises another matter: a second group. Two cards selected become one group.
  await say(base, 810004, "nuoc sinh hoat thon Coc San xa Bat Xat mat ca thang nay, dan phai di ganh nuoc suoi");
  await say(base, 810004, "gui an danh");
  const fourth = await until("the fourth receipt", () => {
    const refs = mock.sent.map((m) => (/LC-[0-9A-Z]{5}/.exec(m.text) || [])[0]).filter((r) => r && !receipts.includes(r));
    return refs[0] || null;
  });
  await page.goto(`${base}/#/concerns/${fourth}`);
  await page.locator("main a[href^='#/sessions/']").first().click();
  await page.getByRole("heading", { name: "Chương trình (nhóm phản ánh)" }).waitFor();
  check(await page.locator("section.group").count() === 2, `groups: ${await page.locator("section.group").count()}`);
  // A concern dragged from one group's card onto the other's moves there.
  const cards = page.locator("section.group");
  const keyOf = async (card) => card.locator("details.refs a").first().textContent();
  const [fromKey, toKey] = [await keyOf(cards.nth(0)), await keyOf(cards.nth(1))];
  const cardOf = (ref) => page.locator("section.group", { has: page.locator(`a[href="#/concerns/${ref}"]`) });
  await cardOf(fromKey).locator("details.refs summary").click();
  const dragged = cardOf(fromKey).locator("details.refs a[draggable='true']").last();
  const draggedRef = await dragged.innerText();
  // Both cards on the screen (a drag does not scroll the page), as on a tall monitor.
  await page.setViewportSize({ width: 1366, height: 3000 });
  await dragged.dragTo(cardOf(toKey).locator("h3"));
  await until("the dragged concern", async () => (await page.locator("#flash").innerText()).includes(`Đã chuyển ${draggedRef}`));
  check((await cardOf(toKey).textContent()).includes(draggedRef), `${draggedRef} is not in the other group after the drag`);
  await page.setViewportSize({ width: 1366, height: 768 });
  const picks = page.locator("section.group input.pick");
  await picks.nth(0).check();
  await picks.nth(1).check();
  await page.getByRole("button", { name: "Gộp 2 nhóm đã chọn thành một" }).click();
  await until("the merged group", async () => (await page.locator("#flash").innerText()).includes("Đã gộp"));
  check(await page.locator("section.group").count() === 1, "two groups remain after merging them");
  check((await page.locator("section.group").textContent()).includes(fourth), "the fourth concern is not in the merged group");
  if (process.env.DGW_E2E_SCREENSHOT) await page.screenshot({ path: process.env.DGW_E2E_SCREENSHOT.replace(/\.png$/, "-agenda.png"), fullPage: true });

  check(outside.length === 0, `requests left the gateway: ${outside.join(", ")}`);
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  console.log(`PASS: logged in, merged ${receipts[1]} into ${receipts[0]}, answered ${toldChats.size} citizens, exported the CSV`);
} catch (e) {
  await reportFailure(e, page, gateway);
  status = 1;
} finally {
  await cleanUp({ browser, gateway, mock, dir });
}
process.exit(status);
