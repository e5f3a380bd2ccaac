// The flow editor in a real browser (issue 7 §6): an admin opens the raise_concern flow, puts an
// error in it and sees the problem reported and its place selected in the text, makes a JSON
// syntax error and sees its line, fixes both with a new first question, runs the simulator on
// the draft (and sees what it read from a message), publishes, sees the new live version and the
// diff naming the changed text; then a citizen writing over Telegram (a mock Bot API in this
// process) gets the new version's question;
// last, a new flow is made as a copy of the menu, listed as a draft, and published as version 1.
// Nothing may leave localhost.
//
//   node tests/e2e/flows.test.mjs path/to/dialogue-gateway
//
// Exit 0 = passed, 1 = failed, 77 = skipped (only when /usr/bin/chromium is absent).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { check, cleanUp, firstPassword, launch, loadPlaywright, logInFirstTime, mockTelegram, openPage, reportFailure, sayTelegram,
         startGateway, telegramChannel, until } from "./lib.mjs";

const binary = process.argv[2] || process.env.DGW_BINARY;
const playwright = loadPlaywright(binary);
const token = "5550003333:AAE-flowEditorBrowserTestToken01234";
const secret = "tg-flows-secret";
const greeting = "Chào bạn, đây là phiên bản thử nghiệm!";

const mock = mockTelegram();
const dir = mkdtempSync(join(tmpdir(), "dgw-e2e-flows-"));
let gateway, browser, page;
let status = 0;
try {
  const mockPort = await mock.ready;
  gateway = startGateway(binary, dir, [telegramChannel(token, secret, mockPort)]);
  const base = await gateway.url;
  const password = await firstPassword(gateway);

  browser = await launch(playwright);
  const opened = await openPage(browser, base, { viewport: { width: 1280, height: 1400 } });
  page = opened.page;
  const { outside, errors } = opened;
  await logInFirstTime(page, base, password);

  // The flow list, then the editor (on its forms) and its JSON view with the live version.
  await page.getByRole("link", { name: "Kịch bản", exact: true }).click();
  await page.getByRole("link", { name: "raise_concern", exact: true }).click();
  await page.getByRole("tab", { name: "JSON" }).click();
  const area = page.getByLabel("Nội dung kịch bản (JSON)");
  await area.waitFor();
  const original = await area.inputValue();
  check(original.includes('"start": "topic"'), "the editor does not show the live document");
  const v0 = JSON.parse(original).version;

  // An unknown start node: reported with its path, and clicking it selects the value.
  await area.fill(original.replace('"start": "topic"', '"start": "topi"'));
  await page.getByRole("button", { name: "Kiểm tra" }).click();
  const problem = page.locator("button.fe-problem", { hasText: "/start" });
  await problem.waitFor();
  await problem.click();
  const selected = await area.evaluate((a) => a.value.slice(a.selectionStart, a.selectionEnd));
  check(selected === '"topi"', `clicking the problem selected ${JSON.stringify(selected)}`);

  // A JSON syntax error (a missing comma) is reported at its line.
  const broken = original.replace('"start": "topic",', '"start": "topic"');
  await area.fill(broken);
  await page.getByRole("button", { name: "Kiểm tra" }).click();
  const syntax = page.locator("button.fe-problem", { hasText: "Sai cú pháp JSON" });
  await syntax.waitFor();
  const line = broken.slice(0, broken.indexOf('"start"')).split("\n").length + 1;
  check((await syntax.innerText()).includes(`dòng ${line}`), `syntax error: ${await syntax.innerText()}`);

  // Fixed, with a new first question: no problems, and the simulator runs the draft. As on
  // every channel, the citizen writes first.
  const doc = JSON.parse(original);
  doc.strings.vi.topic = greeting;
  await area.fill(JSON.stringify(doc, null, 2));
  await page.getByRole("button", { name: "Kiểm tra" }).click();
  await page.getByText("Không có lỗi.").waitFor();
  await page.getByRole("button", { name: "Bắt đầu lại" }).click();
  const chat = page.getByRole("log");
  await chat.getByText("tin nhắn đầu tiên", { exact: false }).waitFor();
  await page.getByLabel("Tin nhắn của người dân").fill("xin chao");
  await page.getByRole("button", { name: "Gửi", exact: true }).click();
  await chat.getByText(greeting).waitFor();
  // A message that says the whole concern: what the gateway read from it is shown.
  await page.getByLabel("Tin nhắn của người dân").fill("mat dien 3 ngay nay o xa Bat Xat");
  await page.getByRole("button", { name: "Gửi", exact: true }).click();
  await chat.getByText("Đọc được", { exact: false }).first().waitFor();
  const read = await chat.locator(".fe-read").last().innerText();
  check(read.includes("roads") && read.includes("Xã Bát Xát"), `the simulator read: ${read}`);

  // Publish: the next version is live, and its diff with the shipped one names the question.
  const v1 = v0 + 1;
  await page.getByRole("button", { name: "Xuất bản" }).click();
  await until("the publish", async () => (await page.locator("#flash").innerText()).includes(`Đã xuất bản phiên bản ${v1}`));
  await page.getByText(`Đang dùng: Phiên bản ${v1}`).waitFor();
  await page.getByLabel("So sánh từ").selectOption(String(v0));
  await page.getByLabel("đến", { exact: true }).selectOption(String(v1));
  await page.getByRole("button", { name: "So sánh" }).click();
  const change = page.locator("[data-group='string:topic']");
  await change.waitFor();
  check((await change.innerText()).includes(greeting), `diff: ${await change.innerText()}`);

  // A citizen tapping "Gửi phản ánh" now gets the new version's question.
  await sayTelegram(base, secret, 820001, "xin chao");
  await sayTelegram(base, secret, 820001, "1");
  await until("the new greeting at the Bot API", () => mock.sent.some((m) => m.text.includes(greeting)));

  // The diagram's counts show the conversation on the new version.
  await page.reload();
  const row = page.locator("table.fe-counts tr[data-node='topic']");
  await row.waitFor();
  const reached = await row.locator("td").nth(2).innerText();
  check(reached === "1", `topic reached ${reached} times on version ${v1}, not once`);
  check(await page.locator(".fe-diagram svg g.fe-node").count() > 10, "no diagram");

  // A new flow: a copy of the menu under its own id, listed as a draft once saved, then published
  // as its version 1. An id already taken is refused in the form.
  await page.getByRole("link", { name: "Tất cả kịch bản" }).click();
  const newFlow = page.getByRole("form", { name: "Kịch bản mới" });
  await newFlow.getByLabel("Mã kịch bản", { exact: false }).fill("raise_concern");
  await newFlow.getByRole("button", { name: "Tạo" }).click();
  await newFlow.getByText("Đã có kịch bản với mã này.").waitFor();
  await newFlow.getByLabel("Mã kịch bản", { exact: false }).fill("street_lights");
  await newFlow.getByLabel("Sao chép từ").selectOption("menu");
  await newFlow.getByRole("button", { name: "Tạo" }).click();
  await page.getByText("Kịch bản mới, sao chép từ menu: chưa lưu.").waitFor();
  const copied = JSON.parse(await area.inputValue());
  check(copied.id === "street_lights" && copied.start !== undefined, `the new flow's text: id ${copied.id}`);
  await page.getByRole("button", { name: "Lưu bản nháp" }).click();
  await until("the draft saved", async () => (await page.locator("#flash").innerText()).includes("Đã lưu bản nháp"));
  check(page.url().endsWith("#/flows/street_lights"), `after saving, the address is ${page.url()}`);
  await page.getByRole("link", { name: "Tất cả kịch bản" }).click();
  const listed = page.locator("tr[data-flow='street_lights']");
  await listed.waitFor();
  check((await listed.innerText()).includes("Bản nháp"), `the list shows ${await listed.innerText()}`);
  await listed.getByRole("link", { name: "street_lights" }).click();
  await page.getByText("Bản nháp của", { exact: false }).waitFor();
  await page.getByRole("button", { name: "Xuất bản" }).click();
  await until("the first publish", async () => (await page.locator("#flash").innerText()).includes("Đã xuất bản phiên bản 1"));
  await page.getByText("Đang dùng: Phiên bản 1").waitFor();

  check(outside.length === 0, `requests left the gateway: ${outside.join(", ")}`);
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  console.log(`PASS: reported and located a flow error and a syntax error, simulated (and saw what was read), published version ${v1}, diffed it, a citizen got the new question, and a new flow copied from the menu was saved as a draft and published as version 1`);
} catch (e) {
  await reportFailure(e, page, gateway);
  status = 1;
} finally {
  await cleanUp({ browser, gateway, mock, dir });
}
process.exit(status);
