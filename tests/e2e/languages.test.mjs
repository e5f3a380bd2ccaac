// Every page of the officials' app in both languages, in a real browser: after citizens on
// Telegram (a mock Bot API) file two concerns and one asks for an official, an admin walks the
// dashboard, the schedule, a session's agenda, the concerns, one concern, the hand-off inbox and
// one hand-off, the flows and one flow's editor, the accounts, the password page and the register page, first in
// Vietnamese and then in English. On each page the test fails on
//   - a raw id where people expect words: a topic id ("roads", "health") or a channel id
//     ("telegram") as a word of its own, a role id in brackets ("(admin)");
//   - a string of the other language: any of the app's own strings of the other language
//     (the app's word tables, read from the page) that differs from its translation.
// The flow pages show node ids on purpose (they are what an admin links), so the raw-id check
// skips them; the language check does not. A concern's session is named in the page's language
// too, though its citizen wrote in Vietnamese. On the register page a spreadsheet larger than the
// server takes is refused by the HTTP server itself (413 payload_too_large, English words): the
// app must say it in the page's language, not in the server's words.
//
//   DGW_E2E_SCREENSHOTS=/tmp/shots node tests/e2e/languages.test.mjs path/to/dialogue-gateway
//
// Exit 0 = passed, 1 = failed, 77 = skipped (only when /usr/bin/chromium is absent).
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { check, cleanUp, firstPassword, launch, loadPlaywright, logInFirstTime, mockTelegram, openPage,
         reportFailure, sayTelegram, startGateway, telegramChannel, until } from "./lib.mjs";

const binary = process.argv[2] || process.env.DGW_BINARY;
const playwright = loadPlaywright(binary);
const token = "5550007777:AAE-languagesBrowserTestToken012345678";
const secret = "tg-languages-secret";
const shots = process.env.DGW_E2E_SCREENSHOTS || "";
if (shots) mkdirSync(shots, { recursive: true });

const mock = mockTelegram();
const dir = mkdtempSync(join(tmpdir(), "dgw-e2e-languages-"));
let gateway, browser, page;
let status = 0;

try {
  const mockPort = await mock.ready;
  // A small body limit, so that the too-large spreadsheet is small too.
  const maxBody = 65536;
  gateway = startGateway(binary, dir, [telegramChannel(token, secret, mockPort)],
                         { server: { listen: "127.0.0.1:0", threads: 2, max_body_bytes: maxBody } });
  const base = await gateway.url;
  const password = await firstPassword(gateway);

  // Two concerns (a road in Bát Xát, the health station of Mường Hum) and a citizen who asks
  // for an official.
  const concerns = [[840001, "duong vao thon o xa Bat Xat bi sat lo, xe may khong di duoc"],
                    [840002, "tram y te xa muong hum khong co bac si truc dem"]];
  for (const [chat, text] of concerns)
    for (const line of [text, "gui an danh"]) await sayTelegram(base, secret, chat, line);
  await sayTelegram(base, secret, 840003, "gap can bo");
  const refs = await until("two receipts", () => {
    const found = new Set(mock.sent.map((m) => (/LC-[0-9A-Z]{5}/.exec(m.text) || [])[0]).filter(Boolean));
    return found.size >= 2 ? [...found] : null;
  });

  browser = await launch(playwright);
  const opened = await openPage(browser, base, { viewport: { width: 1366, height: 768 } });
  page = opened.page;
  const { outside, errors } = opened;
  await logInFirstTime(page, base, password);

  // Where the walk goes: ids read from the API with the page's own session.
  const api = (path) => page.evaluate(async (p) => (await fetch("/api/v1" + p, { headers: { Accept: "application/json" } })).json(), path);
  const concern = await api("/concerns/" + refs[0]);
  // Its session's name in each language (the citizen wrote in Vietnamese).
  const sessionIn = { vi: concern.session_label, en: (await api("/concerns/" + refs[0] + "?lang=en")).session_label };
  check(sessionIn.vi && sessionIn.en && sessionIn.vi !== sessionIn.en, `the session's labels: ${JSON.stringify(sessionIn)}`);
  const handoffs = await api("/handoffs");
  check(handoffs.items.length === 1, `hand-offs: ${JSON.stringify(handoffs)}`);
  const places = await api("/localities");
  const topicIds = places.topics.map((x) => x.id);
  const pages = [
    ["dashboard", "#/"], ["schedule", "#/sessions"], ["agenda", "#/sessions/" + encodeURIComponent(concern.session)],
    ["concerns", "#/concerns"], ["concern", "#/concerns/" + refs[0]], ["handoffs", "#/handoffs"],
    ["handoff", "#/handoffs/" + handoffs.items[0].id], ["flows", "#/flows", true], ["flow", "#/flows/menu", true],
    ["users", "#/users"], ["password", "#/password"], ["followups", "#/followups?state=all"], ["register", "#/register"],
  ];

  const problems = [];
  for (const lang of ["vi", "en"]) {
    await page.evaluate((l) => localStorage.setItem("dgw.lang", l), lang);
    await page.goto(base + "/#/");
    await page.reload();
    // The app's strings of the other language that differ from their translation, longest first.
    const foreign = await page.evaluate((l) => {
      const other = l === "vi" ? "en" : "vi";
      return Object.entries(WORDS[other])
        .filter(([k, v]) => typeof v === "string" && v.replace(/\{\w+\}/g, "").trim().length >= 8 && v !== WORDS[l][k])
        .map(([, v]) => v.split(/\{\w+\}/).reduce((a, b) => (b.length > a.length ? b : a), "").trim())
        .filter((v) => v.length >= 8);
    }, lang);
    for (const [name, hash, showsIds] of pages) {
      await page.goto(base + "/" + hash);
      await page.locator("main h1").first().waitFor();
      await page.waitForLoadState("networkidle");
      const text = (await page.locator("header").innerText()) + "\n" + (await page.locator("main").innerText());
      if (!showsIds) {
        // A topic's name may hold its id as a plain word ("…, security and order"): names first.
        let bare = text;
        for (const x of places.topics) bare = bare.replaceAll(x.name_en, "").replaceAll(x.name_vi, "");
        for (const id of [...topicIds, "telegram"])
          if (new RegExp(`(^|[^\\p{L}_-])${id}([^\\p{L}_-]|$)`, "u").test(bare)) problems.push(`${lang} ${name}: the raw id "${id}"`);
        for (const role of ["(admin)", "(official)", "(viewer)"])
          if (text.includes(role)) problems.push(`${lang} ${name}: the role id ${role}`);
      }
      for (const words of foreign)
        if (text.includes(words)) problems.push(`${lang} ${name}: "${words}" is of the other language`);
      if (name === "concern" && (!text.includes(sessionIn[lang]) || text.includes(sessionIn[lang === "vi" ? "en" : "vi"])))
        problems.push(`${lang} concern: its session is not named "${sessionIn[lang]}"`);
      if (shots) await page.screenshot({ path: join(shots, `lang-${lang}-${name}.png`), fullPage: true });
    }
    // A spreadsheet over the server's body limit, checked from the register page (the last one).
    const row = "thu,roads,02683,Đường vào thôn bị sạt lở nặng\n";
    const csv = "source,topic,commune,text\n" + row.repeat(Math.ceil((maxBody + 4096) / Buffer.byteLength(row)));
    const refusal = page.waitForResponse((r) => r.url().endsWith("/api/v1/concerns/import"));
    await page.locator("section.card input[type=file]").setInputFiles({ name: "big.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.locator("section.card button").click();
    const answer = await refusal;
    const server = (await answer.json()).error;
    check(answer.status() === 413 && server.code === "payload_too_large", `the import answered ${answer.status()} ${JSON.stringify(server)}`);
    // Told below the button, where the official is looking.
    const told = await page.locator(".import-report .error").innerText();
    const words = { vi: /^Nội dung gửi lên quá lớn so với giới hạn của máy chủ\. Hãy chia nhỏ tệp rồi gửi lại\.$/,
                    en: /^What was sent is larger than the server takes\. Split the file and send it again\.$/ };
    if (!words[lang].test(told) || told.includes(server.message))
      problems.push(`${lang} register: a too-large spreadsheet is told as "${told}"`);
    if (shots) await page.screenshot({ path: join(shots, `lang-${lang}-too-large.png`) });
  }
  check(problems.length === 0, `what a reader would trip on:\n  ${problems.join("\n  ")}`);
  check(outside.length === 0, `requests left the gateway: ${outside.join(", ")}`);
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  console.log(`PASS: ${pages.length} pages in Vietnamese and in English: no raw id, no string of the other language`);
} catch (e) {
  await reportFailure(e, page, gateway);
  status = 1;
} finally {
  await cleanUp({ browser, gateway, mock, dir });
}
process.exit(status);
