// The web chat in a real browser: starts the gateway binary on port 0 with a temporary config
// that has a web chat channel, opens /chat in headless Debian Chromium at a phone's viewport,
// taps through the raise-a-concern flow (buttons, typing, a photo from the picker, the location
// button) to the reference number, then opens the concern in the officials' app as the admin and
// sees the photo; files a second concern in one typed message and a tap, and reloads the page
// (the citizen's own messages stay); checks that no request left the gateway.
//
//   node tests/e2e/chat.test.mjs path/to/dialogue-gateway
//   DGW_E2E_SCREENSHOT=/tmp/chat.png node tests/e2e/chat.test.mjs ...   (and keep a screenshot)
//
// Exit 0 = passed, 1 = failed, 77 = skipped (only when /usr/bin/chromium is absent; ctest's
// SKIP_RETURN_CODE). scripts/setup.sh installs chromium and, with `npm ci`, playwright-core.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { check, firstPassword, launch, loadPlaywright, logInFirstTime, onlyLocal, openPage, png, startGateway,
         stopGateway } from "./lib.mjs";

const binary = process.argv[2] || process.env.DGW_BINARY;
const playwright = loadPlaywright(binary);

const dir = mkdtempSync(join(tmpdir(), "dgw-e2e-"));
const gateway = startGateway(binary, dir, [
  { id: "web", type: "webchat", title: "Phản ánh, kiến nghị", media_dir: join(dir, "media"),
    max_photo_bytes: 1048576 }]);
let browser;
let status = 0;
try {
  const base = await gateway.url;
  browser = await launch(playwright);
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
    locale: "vi-VN", geolocation: { latitude: 22.336331, longitude: 103.843761 },
    permissions: ["geolocation"],
  });
  // Every request the page makes is recorded; anything not for the gateway is refused.
  const outside = [];
  await onlyLocal(context, base, outside);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));

  await page.goto(base + "/chat");
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === "dgw_chat");
  check(session && session.httpOnly && session.sameSite === "Strict", `session cookie: ${JSON.stringify(cookies)}`);

  const bots = () => page.locator(".msg.bot").count();
  // One step of the conversation: do something, then wait for the gateway's answer to it.
  async function step(what, action) {
    const before = await bots();
    await action();
    try {
      await page.waitForFunction((n) => document.querySelectorAll(".msg.bot").length > n, before,
                                 { timeout: 20000 });
    } catch {
      check(false, `no answer after: ${what}; page says: ${await page.locator("#log").innerText()}`);
    }
  }
  const tapChoice = (id) => page.locator(`#choices button[data-choice="${id}"]`).tap();
  async function type(text) {
    await page.locator("#text").fill(text);
    await page.locator("#send").tap();
  }

  // Question by question: the start button, the menu, the topic, typed commune and
  // description, a photo and the location at the review, and the send button.
  await step("start", () => page.locator("#start").tap());
  await step("menu: raise", () => tapChoice("raise"));
  check(await page.evaluate(() => document.activeElement && document.activeElement.id) === "text",
    "after a tap the focus is not back on the input");
  await step("topic: roads", () => tapChoice("roads"));
  await step("commune", () => type("bat xat"));
  await step("description", () => type("Đường vào thôn bị sạt lở, xe máy không đi được"));
  // The review is long (what will be sent, the session, the privacy notice): its first line and
  // its buttons are both on screen.
  const reviewTop = await page.locator(".msg.bot").last().evaluate((el) => {
    const box = el.getBoundingClientRect(), log = document.getElementById("log").getBoundingClientRect();
    return box.top >= log.top - 1 && box.top < log.bottom;
  });
  check(reviewTop, "the start of the review scrolled out of sight");
  check(await page.locator('#choices button[data-choice="send_anonymous"]').isVisible(), "no send button");
  await step("photo", () => page.locator("#file").setInputFiles(
    { name: "photo.png", mimeType: "image/png", buffer: png(2400, 1800) }));
  // A location can be sent at any time, like a photo: the button is always there.
  check(await page.locator("#where").isVisible(), "no location button");
  await step("location", () => page.locator("#where").tap());
  await step("review: send anonymously", () => tapChoice("send_anonymous"));
  // DGW_E2E_SCREENSHOT=file.png keeps a picture of the finished chat, to look at the page.
  if (process.env.DGW_E2E_SCREENSHOT) await page.screenshot({ path: process.env.DGW_E2E_SCREENSHOT, fullPage: true });
  const log = await page.locator("#log").innerText();
  const ref = /LC-[0-9A-Z]{5}/.exec(log);
  check(ref, `no reference number in the chat: ${log}`);

  // The concern as filed, and the photo as stored: shrunk to a JPEG by the page.
  const concerns = execFileSync(binary, ["concerns", "--json", "--config", gateway.config]).toString()
    .split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  const filed = concerns.find((c) => c.ref === ref[0]);
  check(filed && filed.channel === "web", `${ref[0]} is not in the store: ${JSON.stringify(concerns)}`);
  const photos = readdirSync(join(dir, "media"));
  check(photos.length === 1 && /^[0-9a-f]{64}\.jpg$/.test(photos[0]), `stored photos: ${photos}`);
  check(statSync(join(dir, "media", photos[0])).size < 1048576, "the photo was not shrunk");
  console.log(`filed ${ref[0]}: ${JSON.stringify(filed).slice(0, 300)}`);
  // An admin reviewing the concern in the officials' app sees the photo itself, decoded.
  const password = await firstPassword(gateway);
  const review = await openPage(browser, base, { viewport: { width: 1280, height: 900 } });
  await logInFirstTime(review.page, base, password);
  await review.page.goto(`${base}/#/concerns/${ref[0]}`);
  const shown = review.page.getByRole("img", { name: "Ảnh 1" });
  await shown.waitFor();
  await review.page.waitForFunction((img) => img.complete, await shown.elementHandle());
  const width = await shown.evaluate((img) => img.naturalWidth);
  check(width > 0 && width <= 1600, `the photo in the officials' app is ${width} px wide`);
  check(review.outside.length === 0 && review.errors.length === 0,
    `officials' app: outside ${review.outside.join(", ")}, errors ${review.errors.join("; ")}`);
  // Another browser, in English: the page and the conversation it starts speak English, and
  // none of the first citizen's messages are there.
  const english = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  await onlyLocal(english, base, outside);
  const page2 = await english.newPage();
  page2.on("pageerror", (e) => errors.push(e.message));
  await page2.goto(base + "/chat");
  await page2.locator("#lang").tap();
  check(await page2.locator("#start").innerText() === "Start", "the start button is not in English");
  check(await page2.locator("#text").getAttribute("placeholder") === "Type a message…", "placeholder not in English");
  await page2.locator("#start").tap();
  await page2.locator('#choices button[data-choice="raise"]').waitFor({ timeout: 20000 });
  const greeting = await page2.locator(".msg.bot").allInnerTexts();
  check(greeting.length === 1 && greeting[0].startsWith("Hello! This channel"), `English greeting: ${greeting}`);
  check(await page2.locator('#choices button[data-choice="raise"]').innerText() === "Raise a concern", "English buttons");
  await english.close();

  // Said in one message, on a phone of 390×844: the first words are read (no diacritics), the
  // review comes at once, one tap sends it; a reload keeps the citizen's own messages.
  const quick = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
                                           deviceScaleFactor: 2, locale: "vi-VN" });
  await onlyLocal(quick, base, outside);
  const page3 = await quick.newPage();
  page3.on("pageerror", (e) => errors.push(e.message));
  await page3.goto(base + "/chat");
  const said = "duong vao thon Coc San xa Bat Xat bi sat lo, xe may khong di duoc";
  await page3.locator("#text").fill(said);
  await page3.locator("#send").tap();
  await page3.locator('#choices button[data-choice="send_anonymous"]').waitFor({ timeout: 20000 });
  const review3 = (await page3.locator(".msg.bot").allInnerTexts()).join("\n");
  check(/Xã Bát Xát/.test(review3) && /Hội trường UBND Xã Bát Xát/.test(review3) && /112/.test(review3),
    `the review of the first message: ${review3}`);
  check(!/Xin chào/.test(review3), `a menu or a greeting before the review: ${review3}`);
  if (process.env.DGW_E2E_SCREENSHOT)
    await page3.screenshot({ path: process.env.DGW_E2E_SCREENSHOT.replace(/\.png$/, "-review.png") });
  await page3.locator('#choices button[data-choice="send_anonymous"]').tap();
  await page3.waitForFunction(() => /LC-[0-9A-Z]{5}/.test(document.getElementById("log").innerText),
                              null, { timeout: 20000 });
  const before = await page3.locator(".msg").allInnerTexts();
  await page3.reload();
  await page3.waitForFunction(() => /LC-[0-9A-Z]{5}/.test(document.getElementById("log").innerText),
                              null, { timeout: 20000 });
  const after = await page3.locator(".msg").allInnerTexts();
  check(JSON.stringify(after) === JSON.stringify(before),
    `after a reload the page shows ${JSON.stringify(after)}, before it showed ${JSON.stringify(before)}`);
  check((await page3.locator(".msg.me").allInnerTexts())[0] === said, "the citizen's own first message is gone");
  if (process.env.DGW_E2E_SCREENSHOT)
    await page3.screenshot({ path: process.env.DGW_E2E_SCREENSHOT.replace(/\.png$/, "-reloaded.png") });
  await quick.close();

  check(outside.length === 0, `requests left the gateway: ${outside.join(", ")}`);
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  console.log(`PASS: ${ref[0]} filed through /chat in headless Chromium, its photo seen in the officials' app; no outside request`);
} catch (e) {
  console.error(`FAIL: ${e.stack || e}`);
  status = 1;
} finally {
  if (browser) await browser.close();
  await stopGateway(gateway);
  rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
