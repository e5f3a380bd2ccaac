// A letter registered by an official, in a real browser (issue 19 §1): from the concerns page,
// "Ghi nhận phản ánh…" opens the form; the official picks the source, the topic, the commune
// typed without accents, the letter's text, the citizen's name and phone number with their
// consent; the concern is filed to the commune's next session and its page names the source;
// the citizen's receipt reaches a mock of Twilio's Messages API as an SMS to their number, with
// the link to the public page of answers. The letter's scanned page (a PDF) goes with it and
// opens from the concern's page. A phone number without the consent box is refused beside the
// field. Screenshots at 1366×768 and 390×844.
//
//   DGW_E2E_SCREENSHOTS=/tmp/shots node tests/e2e/register.test.mjs path/to/dialogue-gateway
//
// Exit 0 = passed, 1 = failed, 77 = skipped (only when /usr/bin/chromium is absent).
import { mkdirSync, mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { check, cleanUp, firstPassword, launch, loadPlaywright, logInFirstTime, openPage,
         reportFailure, startGateway, until } from "./lib.mjs";

const binary = process.argv[2] || process.env.DGW_BINARY;
const playwright = loadPlaywright(binary);
const shots = process.env.DGW_E2E_SCREENSHOTS || "";
if (shots) mkdirSync(shots, { recursive: true });

// Twilio's Messages API: records each form-encoded message and answers 201 as Twilio does.
const sms = [];
const twilio = createServer((req, res) => {
  let body = "";
  req.on("data", (d) => { body += d; });
  req.on("end", () => {
    if (req.url.endsWith("/Messages.json")) sms.push(Object.fromEntries(new URLSearchParams(body)));
    res.writeHead(201, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ sid: "SM" + sms.length, status: "queued" }));
  });
});
const twilioPort = new Promise((resolve) => twilio.listen(0, "127.0.0.1", () => resolve(twilio.address().port)));
const dir = mkdtempSync(join(tmpdir(), "dgw-e2e-register-"));
let gateway, browser, page;
let status = 0;

try {
  const port = await twilioPort;
  gateway = startGateway(binary, dir, [{
    id: "sms", type: "twilio", account_sid: "AC0123456789abcdef0123456789abcdef", auth_token: "twilioAuthToken",
    from: "+15550001111", public_url: "https://gateway.example.vn/webhooks/sms", api_base: `http://127.0.0.1:${port}`,
    rate_limit: { per_second: 0, burst: 0, per_chat_per_second: 0, per_chat_burst: 0 },
  }], { notifications: { sms_channel: "sms", public_url: "https://doithoai.laocai.example" } });
  const base = await gateway.url;
  const password = await firstPassword(gateway);

  browser = await launch(playwright);
  const opened = await openPage(browser, base, { viewport: { width: 1366, height: 768 } });
  page = opened.page;
  const { outside, errors } = opened;
  await logInFirstTime(page, base, password);

  await page.goto(base + "/#/concerns");
  await page.getByRole("link", { name: /Ghi nhận phản ánh từ thư/ }).click();
  await page.getByRole("heading", { name: "Ghi nhận phản ánh ngoài kênh chat" }).waitFor();
  await page.getByLabel("Nguồn").selectOption("letter");
  await page.getByLabel("Lĩnh vực").selectOption("land");
  await page.getByLabel("Xã, phường").fill("bat xat");
  await page.getByLabel("Nội dung").fill("Gia đình tôi ở thôn Cốc San chưa được cấp giấy chứng nhận quyền sử dụng đất\ndù đã nộp hồ sơ từ năm 2024.");
  await page.getByLabel("Họ tên").fill("Lò Văn Páo");
  await page.getByLabel("Số điện thoại", { exact: true }).fill("0912 345 678");
  const pdf = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
  await page.getByLabel(/Bản quét thư, đơn/).setInputFiles({ name: "don.pdf", mimeType: "application/pdf", buffer: pdf });
  // Without the consent box the number is refused, and nothing is filed or sent.
  await page.getByRole("button", { name: "Ghi nhận phản ánh" }).click();
  const refusal = page.locator(".field-error");
  await refusal.waitFor();
  check(/consent|đồng ý/.test(await refusal.innerText()), `the refusal says: ${await refusal.innerText()}`);
  check(sms.length === 0, "an SMS went out before consent");
  if (shots) await page.screenshot({ path: join(shots, "register-refused-1366.png"), fullPage: true });

  await page.getByLabel("Người dân đồng ý cho lưu tên và số điện thoại để nhận trả lời").check();
  await page.getByRole("button", { name: "Ghi nhận phản ánh" }).click();
  await page.waitForURL(/#\/concerns\/LC-/);
  const ref = decodeURIComponent(page.url().split("/").pop());
  await page.getByRole("heading", { name: ref }).waitFor();
  const shown = await page.locator("main").innerText();
  check(shown.includes("Tiếp nhận từ thư, đơn") && shown.includes("Xã Bát Xát") && shown.includes("Lò Văn Páo"), `the concern page: ${shown.slice(0, 700)}`);
  check(shown.includes("Đất đai"), `the topic by name: ${shown.slice(0, 700)}`);
  check(shown.includes("Cán bộ ghi nhận · admin") && !shown.includes("concern.register"), `the history in words: ${shown}`);
  const receipt = await until("the SMS receipt", () => sms.find((m) => (m.Body || "").includes(ref)));
  check(receipt.To === "+84912345678" && receipt.Body.includes("đã được ghi nhận"), `the SMS: ${JSON.stringify(receipt)}`);
  check(receipt.Body.includes("https://doithoai.laocai.example/ket-qua?commune=02683"), `the SMS links the answers: ${receipt.Body}`);
  // The scan: a link to download the PDF itself (not a broken image), as the gateway kept it.
  const scanLink = page.getByRole("link", { name: "Tải bản quét thư (PDF)" });
  await scanLink.waitFor();
  const kept = await page.evaluate(async (href) => {
    const r = await fetch(href);
    return { type: r.headers.get("content-type"), as: r.headers.get("content-disposition"), text: await r.text() };
  }, await scanLink.getAttribute("href"));
  check(kept.type === "application/pdf" && kept.text.startsWith("%PDF-1.4") && /^attachment/.test(kept.as),
        `the scan downloads: ${JSON.stringify(kept).slice(0, 200)}`);
  check(await page.getByText("Công bố ảnh này trên trang kết quả").count() === 0, "a scan is offered for the public page");
  if (shots) await page.screenshot({ path: join(shots, "register-filed-1366.png"), fullPage: true });

  // A spreadsheet saved as CSV: checked first (a row without text refused with its reason),
  // then the good rows filed.
  await page.goto(base + "/#/register");
  await page.getByLabel("Tệp bảng tính").setInputFiles({ name: "don-thu.csv", mimeType: "text/csv",
    buffer: Buffer.from("Nguồn,Lĩnh vực,Xã,Nội dung\r\ntiếp dân,Y tế,muong hum,Trạm y tế không có bác sĩ trực đêm\r\nthư,Đất đai,bat xat,\r\n") });
  await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
  await page.getByText("1/2 dòng hợp lệ.").waitFor();
  check((await page.locator(".import-report").innerText()).includes("Dòng 3"), "the refused row is not named");
  await page.getByRole("button", { name: "Ghi nhận 1 dòng hợp lệ" }).click();
  await page.getByText("Đã ghi nhận 1/2 dòng.").waitFor();
  const imported = await page.locator(".import-report a").innerText();
  if (shots) await page.screenshot({ path: join(shots, "register-import-1366.png"), fullPage: true });
  await page.locator(".import-report a").click();
  await page.getByRole("heading", { name: imported }).waitFor();
  check((await page.locator("main").innerText()).includes("Tiếp nhận từ tiếp dân tại trụ sở"), "the imported concern's source");

  // The form on a phone: fits the width.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(base + "/#/register");
  await page.getByRole("heading", { name: "Ghi nhận phản ánh ngoài kênh chat" }).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(overflow <= 0, `the form scrolls sideways on a phone by ${overflow}px`);
  if (shots) await page.screenshot({ path: join(shots, "register-390.png"), fullPage: true });

  check(outside.length === 0, `requests left the gateway: ${outside.join(", ")}`);
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  console.log(`PASS: a letter registered as ${ref}, its receipt sent by SMS to ${receipt.To}; refused without consent`);
} catch (e) {
  await reportFailure(e, page, gateway);
  status = 1;
} finally {
  await cleanUp({ browser, gateway, dir });
  twilio.close();
}
process.exit(status);
