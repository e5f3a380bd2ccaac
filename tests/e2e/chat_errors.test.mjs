// The web chat's failures in the citizen's language, in a real browser at a phone's size: the
// gateway runs with tight limits (one photo per session, one message a minute, two new sessions
// per address, a 2 KB photo on a second page), and citizens in Vietnamese and in English meet
// each refusal for real: a photo too many, a photo too large, a message too soon, no session to
// be had (the replies, a photo and a message). Each time the page must say what happened and
// what to do in the page's language, and never show the gateway's own (English) message or a
// bare status number.
//
//   DGW_E2E_SCREENSHOTS=/tmp/shots node tests/e2e/chat_errors.test.mjs path/to/dialogue-gateway
//
// Exit 0 = passed, 1 = failed, 77 = skipped (only when /usr/bin/chromium is absent).
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { check, cleanUp, launch, loadPlaywright, onlyLocal, png, reportFailure, startGateway } from "./lib.mjs";

const binary = process.argv[2] || process.env.DGW_BINARY;
const playwright = loadPlaywright(binary);
const shots = process.env.DGW_E2E_SCREENSHOTS || "";
if (shots) mkdirSync(shots, { recursive: true });

// Random pixels: still larger than 2 KB once the page has shrunk it to a JPEG.
const photo = { name: "photo.png", mimeType: "image/png", buffer: png(400, 300, true) };

// What each refusal must read like, by language: the words of the page (Vietnamese with its
// diacritics, plain English) for what happened and what the citizen can do.
const expected = {
  vi: {
    too_many_photos: /^Bạn đã gửi nhiều ảnh trong thời gian ngắn\. Hãy thử lại sau ít phút\.$/,
    photo_too_large: /^Ảnh quá lớn, tối đa 2 KB\. Hãy chọn ảnh nhỏ hơn\.$/,
    too_many_messages: /^Bạn gửi hơi nhanh\. Tin nhắn sẽ tự gửi lại sau ít giây\.$/,
    too_many_sessions: /^Có quá nhiều người mở trang trò chuyện từ cùng mạng với bạn\. Hãy thử lại sau ít phút\.$/,
    no_session: /^Phiên trò chuyện chưa sẵn sàng hoặc đã hết hạn\. Hãy tải lại trang rồi gửi lại\.$/,
  },
  en: {
    too_many_photos: /^You sent many photos in a short time\. Please try again in a few minutes\.$/,
    photo_too_large: /^The photo is too large: at most 2 KB\. Please choose a smaller one\.$/,
    too_many_messages: /^You are writing quickly\. Your message will be sent again in a few seconds\.$/,
    too_many_sessions: /^Too many people opened the chat from your network\. Please try again in a few minutes\.$/,
    no_session: /^The chat session is not ready or has expired\. Reload the page and send again\.$/,
  },
};
const vietnamese = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;

const dir = mkdtempSync(join(tmpdir(), "dgw-e2e-chat-errors-"));
let gateway, browser, page;
let status = 0;
try {
  gateway = startGateway(binary, dir, [
    { id: "web", type: "webchat", title: "Phản ánh, kiến nghị", media_dir: join(dir, "media"),
      photos_per_session_per_hour: 1, messages_per_session_per_minute: 1 },
    { id: "small", type: "webchat", title: "Phản ánh, kiến nghị", media_dir: join(dir, "small"),
      max_photo_bytes: 2048 },
  ], { webchat: { new_sessions_per_address_per_hour: 2 } });
  const base = await gateway.url;
  browser = await launch(playwright);
  // The gateway's own messages of every refusal the pages met, to be sure none is shown.
  const said = [];
  const outside = [], errors = [];

  // A citizen's phone in `lang`, as a returning citizen who chose it before.
  async function phone(lang) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
                                               deviceScaleFactor: 2, locale: lang === "vi" ? "vi-VN" : "en-GB" });
    await onlyLocal(context, base, outside);
    await context.addInitScript((l) => localStorage.setItem("dgw_lang", l), lang);
    const p = await context.newPage();
    p.on("pageerror", (e) => errors.push(e.message));
    p.on("response", async (r) => {
      if (r.status() < 400) return;
      const body = await r.json().catch(() => null);
      if (body && body.error) said.push(`${r.status()} ${body.error.code}: ${body.error.message}`);
    });
    page = p;
    return p;
  }
  const notes = (p) => p.locator(".msg.note").allInnerTexts();
  // Does `action`, then waits for the page's next note and checks its words.
  async function refused(p, lang, what, action) {
    const before = (await notes(p)).length;
    await action();
    await p.waitForFunction((n) => document.querySelectorAll(".msg.note").length > n, before, { timeout: 20000 })
      .catch(() => {});
    const shown = (await notes(p)).slice(before);
    check(shown.length === 1, `${lang} ${what}: the page said ${JSON.stringify(shown)}`);
    const words = shown[0];
    check(expected[lang][what].test(words), `${lang} ${what}: "${words}"`);
    check(lang === "vi" ? vietnamese.test(words) : !vietnamese.test(words), `${lang} ${what}: "${words}" is of the other language`);
    check(!/\b[1-5]\d\d\b/.test(words), `${lang} ${what}: a status number in "${words}"`);
    for (const s of said) check(!words.includes(s.replace(/^\d+ \w+: /, "")), `${lang} ${what}: the gateway's own words in "${words}"`);
  }
  const send = async (p, text) => { await p.locator("#text").fill(text); await p.locator("#send").tap(); };
  const shot = async (p, name) => { if (shots) await p.screenshot({ path: join(shots, `chat-errors-${name}.png`) }); };

  for (const lang of ["vi", "en"]) {
    // A session for each of these two (the address may have two): a photo, then one too many,
    // then a message too soon after the photo's.
    const p = await phone(lang);
    await p.goto(base + "/chat/web");
    await p.locator("#start").waitFor();
    await p.locator("#file").setInputFiles(photo);
    await p.waitForFunction(() => document.querySelectorAll(".msg.me img").length === 1 &&
                                  !document.querySelector(".msg.me.pending"), null, { timeout: 20000 });
    await refused(p, lang, "too_many_photos", () => p.locator("#file").setInputFiles(photo));
    check(await p.locator(".msg.me.failed img").count() === 1, `${lang}: the refused photo is not marked`);
    await refused(p, lang, "too_many_messages", () => send(p, lang === "vi" ? "xin chào" : "hello"));
    await shot(p, `${lang}-limits`);
    // The page whose photos may be 2 KB: the shrunk photo is still larger.
    await p.goto(base + "/chat/small");
    await p.locator("#start").waitFor();
    await refused(p, lang, "photo_too_large", () => p.locator("#file").setInputFiles(photo));
    await shot(p, `${lang}-too-large`);
    await p.context().close();
  }
  check(said.some((s) => s.startsWith("429 too_many_photos")) && said.some((s) => s.startsWith("413 payload_too_large")) &&
        said.some((s) => s.startsWith("429 too_many_messages")), `the gateway's refusals: ${said.join("; ")}`);

  for (const lang of ["vi", "en"]) {
    // The address had its two sessions: this phone gets none, so the replies, a photo and a
    // message are all refused.
    const p = await phone(lang);
    await refused(p, lang, "too_many_sessions", () => p.goto(base + "/chat/web"));
    await refused(p, lang, "no_session", () => p.locator("#file").setInputFiles(photo));
    await refused(p, lang, "no_session", () => send(p, lang === "vi" ? "đường bị sạt lở" : "the road is blocked"));
    check(await p.locator(".msg.me.failed").count() === 2, `${lang}: the refused photo and message are not marked`);
    await shot(p, `${lang}-no-session`);
    await p.context().close();
  }
  check(said.some((s) => s.startsWith("429 too_many_sessions")) && said.some((s) => s.startsWith("401 no_session")) &&
        said.some((s) => s.startsWith("401 bad_signature")), `the gateway's refusals: ${said.join("; ")}`);

  check(outside.length === 0, `requests left the gateway: ${outside.join(", ")}`);
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  console.log(`PASS: every refusal said in Vietnamese and in English, never in the gateway's words (${said.length} refusals)`);
} catch (e) {
  await reportFailure(e, page, gateway);
  status = 1;
} finally {
  await cleanUp({ browser, gateway, dir });
}
process.exit(status);
