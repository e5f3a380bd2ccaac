// What the browser tests share: loading playwright-core, starting the real gateway binary on
// port 0 with a temporary config, launching Debian's Chromium with the flags that work on this
// machine's closed network, and refusing every request that would leave localhost.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, "..", "..");
export const chromium = process.env.DGW_CHROMIUM || "/usr/bin/chromium";

export function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

// Inside a run a failure throws, so that the browser and the gateway are still stopped.
export function check(ok, message) {
  if (!ok) throw new Error(message);
}

// Exit 77 (ctest's SKIP_RETURN_CODE) only when Chromium is truly absent; anything else missing
// is a failure, since scripts/setup.sh installs it.
export function loadPlaywright(binary) {
  if (!existsSync(chromium)) {
    console.log(`SKIP: ${chromium} not found (scripts/setup.sh installs Debian's chromium)`);
    process.exit(77);
  }
  if (!binary || !existsSync(binary)) fail(`no gateway binary at ${binary}`);
  try {
    return createRequire(join(here, "package.json"))("playwright-core");
  } catch {
    fail("playwright-core is not installed in tests/e2e: run scripts/setup.sh (npm ci)");
  }
}

// Starts `binary serve` with `channels` (and the shipped flows and dialogue config). Resolves
// `url` once the gateway announces its port; `lines` holds everything it printed on stdout.
export function startGateway(binary, dir, channels, extra = {}) {
  const config = join(dir, "gateway.json");
  writeFileSync(config, JSON.stringify({
    server: { listen: "127.0.0.1:0", threads: 2 },
    log: { level: "warn" },
    store: { sqlite: { path: join(dir, "dgw.sqlite"), synchronous: "normal" } },
    flows: { dir: join(root, "flows") },
    dialogue: { file: join(root, "config", "dialogue.json") },
    metrics: { listen: "127.0.0.1:0" },
    channels,
    ...extra,
  }));
  const child = spawn(binary, ["serve", "--config", config], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  const out = { text: "" };
  child.stderr.on("data", (d) => { stderr += d; });
  const url = new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      out.text += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(out.text);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`gateway exited (${code}): ${stderr}`)));
    child.on("error", (e) => reject(new Error(`cannot start ${binary}: ${e.message}`)));
  });
  return { child, config, url, stdout: out, stderr: () => stderr };
}

export async function launch(playwright) {
  return playwright.chromium.launch({
    executablePath: chromium,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

// Lets through only requests for the gateway (and in-page blob:/data: URLs); the others are
// aborted and listed in `outside`.
export async function onlyLocal(context, base, outside) {
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(base + "/") || url.startsWith("blob:") || url.startsWith("data:")) return route.continue();
    outside.push(url);
    return route.abort();
  });
}

// Polls `test` every 100 ms until it returns something truthy (returned), failing after `ms`.
export async function until(what, test, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await test();
    if (v) return v;
    check(Date.now() < end, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Stops the gateway with SIGTERM (a graceful drain) and waits for it to exit.
export async function stopGateway(gateway) {
  if (gateway.child.exitCode !== null) return;
  const exited = new Promise((resolve) => gateway.child.on("exit", resolve));
  gateway.child.kill("SIGTERM");
  await exited;
}

// A mock of the Telegram Bot API: answers every method with ok and records sendMessage bodies.
export function mockTelegram() {
  const sent = [];
  // Photos citizens sent: file_id -> bytes, given by getFile and the file download as the Bot
  // API gives them.
  const files = new Map();
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => { body += d; });
    req.on("end", () => {
      const download = /\/file\/bot[^/]+\/photos\/(.+)$/.exec(req.url);
      if (download) {
        const bytes = files.get(decodeURIComponent(download[1]));
        res.writeHead(bytes ? 200 : 404, { "Content-Type": "application/octet-stream" });
        res.end(bytes || "");
        return;
      }
      let result = { message_id: sent.length + 1 };
      if (req.url.endsWith("/sendMessage")) sent.push(JSON.parse(body));
      if (req.url.endsWith("/getFile")) {
        const id = JSON.parse(body).file_id;
        result = { file_id: id, file_unique_id: id, file_size: (files.get(id) || "").length, file_path: "photos/" + id };
      }
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ ok: true, result }));
    });
  });
  const ready = new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));
  return { sent, server, ready, files };
}

// A citizen's photo (kept by the mock under `fileId`), posted as Telegram posts it.
export async function photoTelegram(base, secret, chat, fileId) {
  const body = {
    update_id: ++update,
    message: { message_id: update, date: 1790000000, chat: { id: chat, type: "private" },
               from: { id: chat, is_bot: false, first_name: "Dân" },
               photo: [{ file_id: fileId, file_unique_id: fileId, width: 640, height: 480 }] },
  };
  const res = await fetch(base + "/webhooks/telegram", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret },
    body: JSON.stringify(body),
  });
  check(res.status === 200, `webhook answered ${res.status}`);
}

// A citizen's text message, posted to the gateway as Telegram posts it.
let update = 1000;
export async function sayTelegram(base, secret, chat, text) {
  const body = {
    update_id: ++update,
    message: { message_id: update, date: 1790000000, chat: { id: chat, type: "private" },
               from: { id: chat, is_bot: false, first_name: "Dân" }, text },
  };
  const res = await fetch(base + "/webhooks/telegram", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret },
    body: JSON.stringify(body),
  });
  check(res.status === 200, `webhook answered ${res.status}`);
}

// The channel "telegram" sending to the mock on `port`, without rate limits.
export function telegramChannel(token, secret, port) {
  return {
    id: "telegram", type: "telegram", bot_token: token, secret_token: secret,
    api_base: `http://127.0.0.1:${port}`,
    rate_limit: { per_second: 0, burst: 0, per_chat_per_second: 0, per_chat_burst: 0 },
  };
}

// A page in a fresh context that may reach only the gateway: `outside` lists what tried to
// leave, `errors` the page's uncaught errors.
export async function openPage(browser, base, options) {
  const context = await browser.newContext({ locale: "vi-VN", ...options });
  const outside = [];
  await onlyLocal(context, base, outside);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { page, outside, errors };
}

// Every Content-Security-Policy violation page `p` sees from now on, from the console and from
// the DOM event (the event also catches what a console filter might miss): call the function
// it returns for the list.
export async function watchCsp(p) {
  const violations = [];
  p.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await p.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(`${e.violatedDirective} ${e.sourceFile}:${e.lineNumber}`));
  });
  return async () => violations.concat(await p.evaluate(() => window.__csp || []));
}

// Opens the app logged out: only the login form, and none of what needs a login (the menu,
// "Đổi mật khẩu", "Đăng xuất"), which once showed because CSS display rules beat `hidden`.
export async function openLoggedOut(page, base) {
  await page.goto(base + "/");
  await page.getByRole("button", { name: "Đăng nhập" }).waitFor();
  check(!(await page.locator("#nav").isVisible()), "the menu is shown before login");
  check(!(await page.getByRole("link", { name: "Tổng quan" }).isVisible()), "a menu link is shown before login");
  check(!(await page.getByRole("button", { name: "Đăng xuất" }).isVisible()), "Đăng xuất is shown before login");
  check(!(await page.locator("#password-link").isVisible()), "Đổi mật khẩu is shown before login");
}

// Logs in as the first-start admin; the app asks for a new password before anything else.
export async function logInFirstTime(page, base, password) {
  await page.goto(base + "/");
  await page.getByLabel("Tên đăng nhập").fill("admin");
  await page.getByLabel("Mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.getByLabel("Mật khẩu hiện tại").fill(password);
  await page.getByLabel("Mật khẩu mới", { exact: true }).fill("a-new-long-password-2026");
  await page.getByLabel("Nhập lại mật khẩu mới").fill("a-new-long-password-2026");
  await page.getByRole("button", { name: "Đổi mật khẩu" }).click();
  await page.getByRole("heading", { name: "Phản ánh khẩn cấp" }).waitFor();
}

// What a failed run prints: the error, what the page showed and what the gateway logged.
export async function reportFailure(e, page, gateway) {
  console.error(`FAIL: ${e.stack || e}`);
  if (page) console.error("page: " + (await page.locator("body").innerText().catch(() => "")).slice(0, 3000));
  if (gateway) console.error(gateway.stderr());
}

// Stops whatever a run started (each may be missing after an early failure).
export async function cleanUp({ browser, gateway, mock, dir }) {
  if (browser) await browser.close();
  if (gateway) await stopGateway(gateway);
  if (mock) mock.server.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}

// The one-time password of the admin the gateway created at its first start.
export function firstPassword(gateway) {
  return until("the first-start password", () => (/one-time password (\S+)/.exec(gateway.stdout.text) || [])[1]);
}

// A small real PNG, so that a page's canvas really decodes, shrinks and re-encodes it: a
// gradient, or with `noise` random pixels (which stay large as a JPEG).
export function png(width, height, noise = false) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * (width * 3 + 1) + 1 + x * 3;
      raw[i] = noise ? Math.random() * 256 : (x * 255) / width;
      raw[i + 1] = noise ? Math.random() * 256 : (y * 255) / height;
      raw[i + 2] = noise ? Math.random() * 256 : 128;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0)),
  ]);
}
