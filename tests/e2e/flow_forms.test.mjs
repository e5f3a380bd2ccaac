// The flow editor's forms in a real browser: an admin who does not write JSON opens the menu
// flow, changes its question's Vietnamese text, adds a node, names it and writes its texts, sees
// the validator's "unreachable" on that node, removes a node a branch still goes to and sees the
// problem on the branch and on the menu choice leading there, fixes it by sending that choice to
// the new node, and is warned before leaving with the changes unsaved; then publishes, and the
// published version (read back through the API) and the simulator have the change. The page is
// checked at 1366×768 and at a phone's 390×844. Nothing may leave localhost, and the page's
// Content-Security-Policy is never violated.
//
//   node tests/e2e/flow_forms.test.mjs path/to/dialogue-gateway
//   DGW_E2E_SCREENSHOT=/tmp/flowed.png node tests/e2e/flow_forms.test.mjs ...   (and keep screenshots)
//
// Exit 0 = passed, 1 = failed, 77 = skipped (only when /usr/bin/chromium is absent).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { check, cleanUp, firstPassword, launch, loadPlaywright, logInFirstTime, openPage, reportFailure,
         startGateway, until, watchCsp } from "./lib.mjs";

const binary = process.argv[2] || process.env.DGW_BINARY;
const playwright = loadPlaywright(binary);
const welcome = "Xin chào! Bạn muốn gửi phản ánh hay tra cứu? Chọn một mục:";
const hotlineVi = "Gọi đường dây nóng 1900 1234 (giờ hành chính) để được hướng dẫn.";
const hotlineEn = "Call the hotline 1900 1234 (office hours) for help.";
const shot = async (page, name, fullPage = true) => {
  if (process.env.DGW_E2E_SCREENSHOT)
    await page.screenshot({ path: process.env.DGW_E2E_SCREENSHOT.replace(/\.png$/, `-${name}.png`), fullPage });
};

const dir = mkdtempSync(join(tmpdir(), "dgw-e2e-flow-forms-"));
let gateway, browser, page;
let status = 0;
try {
  gateway = startGateway(binary, dir, []);
  const base = await gateway.url;
  const password = await firstPassword(gateway);

  browser = await launch(playwright);
  const opened = await openPage(browser, base, { viewport: { width: 1366, height: 768 } });
  page = opened.page;
  const { outside, errors } = opened;
  const csp = await watchCsp(page);
  const dialogs = [];
  // Every dialog is recorded; the test decides below which to accept.
  let answer = "accept";
  page.on("dialog", async (d) => {
    dialogs.push({ type: d.type(), message: d.message() });
    await (answer === "accept" ? d.accept() : d.dismiss());
  });
  await logInFirstTime(page, base, password);

  // The menu flow opens on its forms, at its start node.
  await page.getByRole("link", { name: "Kịch bản", exact: true }).click();
  await page.getByRole("link", { name: "menu", exact: true }).click();
  const formsTab = page.getByRole("tab", { name: "Biểu mẫu" });
  await formsTab.waitFor();
  check(await formsTab.getAttribute("aria-selected") === "true", "the forms are not the default view");
  const form = page.locator(".fe-node-form");
  await form.getByRole("heading", { name: "Bước «menu»" }).waitFor();
  const v0 = (await (await page.request.get(base + "/api/v1/flows/menu")).json()).live;

  // The question's Vietnamese text.
  await form.getByLabel("Câu hỏi · Tiếng Việt").fill(welcome);
  await page.getByText("Có thay đổi chưa lưu.").waitFor();
  const json = () => page.getByLabel("Nội dung kịch bản (JSON)").inputValue().then(JSON.parse);
  check((await json()).strings.vi.welcome === welcome, "the forms did not write the JSON");

  // A new node: a message, named, in both languages, going back to the menu. Nothing leads to it
  // yet: the validator's problem is shown on it.
  await page.getByLabel("Loại bước mới").selectOption("say");
  await page.getByRole("button", { name: "Thêm bước" }).click();
  await form.getByRole("heading", { name: "Bước «say_1»" }).waitFor();
  await form.getByLabel("Mã bước").fill("hotline");
  await form.getByLabel("Mã bước").press("Tab");
  await form.getByRole("heading", { name: "Bước «hotline»" }).waitFor();
  await form.getByLabel("Lời nhắn · Tiếng Việt").fill(hotlineVi);
  await form.getByLabel("Lời nhắn · English").fill(hotlineEn);
  await form.getByLabel("Bước tiếp theo").selectOption("menu");
  const pick = (id) => page.locator(`.fe-nodes button[data-node='${id}']`);
  await until("the problem on the new node", async () => (await pick("hotline").getAttribute("class")).includes("fe-flagged"));
  // In the page's language: the validator's words come from its catalogue (issue 18).
  await form.locator(".fe-problem-note", { hasText: "không đi tới được" }).waitFor();
  check(await page.locator(".fe-diagram g.fe-node.fe-flagged[data-node='hotline']").count() === 1, "the diagram does not flag the new node");
  await shot(page, "new-node");

  // A node a branch goes to is removed (the warning names the branch): the branch and the menu's
  // choice leading there show the problem.
  await pick("help").click();
  await form.getByRole("heading", { name: "Bước «help»" }).waitFor();
  await form.getByRole("button", { name: "Xoá bước này" }).click();
  await until("the removal", async () => !(await pick("help").count()));
  check(dialogs.at(-1).type === "confirm" && dialogs.at(-1).message.includes("route"), `the removal warned: ${dialogs.at(-1).message}`);
  await until("the problem on the branch", async () => (await pick("route").getAttribute("class")).includes("fe-flagged"));
  await pick("menu").click();
  const helpChoice = form.locator("fieldset[data-rel='/choices/3']");
  const goesTo = helpChoice.locator("[data-rel='/choices/3/next']");
  await until("the problem on the choice", async () => (await goesTo.getAttribute("class")).includes("fe-field-problem"));
  check((await goesTo.innerText()).includes('không có bước "help"'), `the choice shows: ${await goesTo.innerText()}`);
  // The problem in the list says its node, and takes the admin to the field.
  await page.locator("button.fe-problem[data-node='route']").click();
  await form.getByRole("heading", { name: "Bước «route»" }).waitFor();
  check(await form.locator(".fe-field-problem[data-rel='/cases/2/next']").count() === 1, "the branch's case is not marked");
  await shot(page, "problem");

  // Fixed through the menu's form: the choice goes to the new node.
  await pick("menu").click();
  await helpChoice.getByLabel("Chọn mục này thì sang bước").selectOption("hotline");
  await page.locator(".fe-problems .fe-ok", { hasText: "Không có lỗi." }).waitFor();
  check(!(await pick("hotline").getAttribute("class")).includes("fe-flagged"), "the new node is still flagged");
  const edited = await json();
  check(edited.nodes.find((n) => n.id === "route").cases.some((c) => c.equals === "help" && c.next === "hotline"),
        "the choice's target is not in the JSON");

  // The JSON view shows the same document, and an edit there reaches the forms.
  await page.getByRole("tab", { name: "JSON" }).click();
  const area = page.getByLabel("Nội dung kịch bản (JSON)");
  await area.fill((await area.inputValue()).replace(hotlineEn, hotlineEn + " Thank you."));
  await formsTab.click();
  await pick("hotline").click();
  check((await form.getByLabel("Lời nhắn · English").inputValue()).endsWith("Thank you."), "the forms did not read the JSON");
  // A syntax error keeps the admin in the JSON view, with the error.
  await page.getByRole("tab", { name: "JSON" }).click();
  const good = await area.inputValue();
  await area.fill(good.replace('"start": "menu",', '"start": "menu"'));
  await formsTab.click();
  await page.getByText("Sửa lỗi cú pháp JSON trước khi chuyển sang biểu mẫu.").waitFor();
  check(await page.getByRole("tab", { name: "JSON" }).getAttribute("aria-selected") === "true", "a syntax error left the JSON view");
  await page.locator("button.fe-problem", { hasText: "Sai cú pháp JSON" }).waitFor();
  await area.fill(good);
  await formsTab.click();
  await form.getByRole("heading", { name: "Bước «hotline»" }).waitFor();

  // Leaving with unsaved changes asks first: inside the app (declined: the page and its edits
  // stay) and when the tab is closed or reloaded.
  answer = "dismiss";
  await page.getByRole("link", { name: "Tất cả kịch bản" }).click();
  await until("the warning", () => dialogs.some((d) => d.type === "confirm" && d.message.includes("chưa lưu")));
  check(page.url().endsWith("#/flows/menu"), `declining the warning left for ${page.url()}`);
  check((await form.getByLabel("Lời nhắn · Tiếng Việt").inputValue()) === hotlineVi, "declining the warning lost the edits");
  const asks = await page.evaluate(() => {
    const ev = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(ev);
    return ev.defaultPrevented;
  });
  check(asks, "closing the page with unsaved changes would not ask");
  answer = "accept";
  await shot(page, "forms-1366", false);
  await shot(page, "forms-1366-full");

  // Published: the version read back through the API has the change, and so does the simulator.
  await page.getByRole("button", { name: "Xuất bản" }).click();
  await until("the publish", async () => (await page.locator("#flash").innerText()).includes(`Đã xuất bản phiên bản ${v0 + 1}`));
  check(!(await page.getByText("Có thay đổi chưa lưu.").isVisible()), "still unsaved after publishing");
  const published = await (await page.request.get(`${base}/api/v1/flows/menu/versions/${v0 + 1}`)).json();
  check(published.live && published.document.strings.vi.welcome === welcome, "the published version lacks the new question");
  const hotline = published.document.nodes.find((n) => n.id === "hotline");
  check(hotline && hotline.next === "menu" && published.document.strings.vi[hotline.text] === hotlineVi, "the new node is not published");
  check(!published.document.nodes.some((n) => n.id === "help"), "the removed node is published");
  const csrf = (await (await page.request.get(base + "/api/v1/auth/me")).json()).csrf_token;
  const simulated = await (await page.request.post(base + "/api/v1/flows/simulate", {
    headers: { "X-CSRF-Token": csrf }, data: { flow_id: "menu", messages: ["xin chao", "4"] } })).json();
  const said = simulated.steps.flatMap((s) => s.messages.map((m) => m.text));
  check(said.includes(welcome) && said.includes(hotlineVi), `the live flow says: ${said.join(" | ")}`);
  await page.getByRole("button", { name: "Bắt đầu lại" }).click();
  const chat = page.getByRole("log");
  await page.getByLabel("Tin nhắn của người dân").fill("xin chao");
  await page.getByRole("button", { name: "Gửi", exact: true }).click();
  await chat.getByText(welcome).waitFor();
  await page.getByLabel("Tin nhắn của người dân").fill("4");
  await page.getByRole("button", { name: "Gửi", exact: true }).click();
  await chat.getByText(hotlineVi).waitFor();
  // Saved, leaving asks nothing.
  const before = dialogs.length;
  await page.getByRole("link", { name: "Tất cả kịch bản" }).click();
  await page.locator("tr[data-flow='menu']").waitFor();
  check(dialogs.length === before, "leaving after publishing asked");

  // A phone: nothing wider than the screen, the forms readable.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator("tr[data-flow='menu']").getByRole("link", { name: "menu" }).click();
  await form.getByRole("heading", { name: "Bước «menu»" }).waitFor();
  const wide = await page.evaluate(() => [...document.querySelectorAll("#main *")]
    .filter((n) => !n.closest(".fe-diagram, table") && n.getBoundingClientRect().right > window.innerWidth + 1)
    .map((n) => n.tagName + "." + n.className).slice(0, 5));
  check(wide.length === 0, `wider than a phone: ${wide.join(", ")}`);
  check(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "the page scrolls sideways on a phone");
  await shot(page, "phone", false);
  for (const [name, part] of [["choice", "fieldset[data-rel='/choices/3']"], ["actions", ".fe-actions"], ["diagram", ".fe-diagram"], ["simulator", ".fe-sim"]]) {
    await page.locator(part).scrollIntoViewIfNeeded();
    await shot(page, "phone-" + name, false);
  }

  check(outside.length === 0, `requests left the gateway: ${outside.join(", ")}`);
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  const violations = await csp();
  check(violations.length === 0, `CSP violations: ${violations.join("; ")}`);

  // The real thing: closing the tab with unsaved changes brings the browser's own question.
  await form.getByLabel("Câu hỏi · Tiếng Việt").fill(welcome + " (sửa)");
  await page.close({ runBeforeUnload: true });
  await until("the browser's question", () => dialogs.some((d) => d.type === "beforeunload"));
  console.log(`PASS: edited the menu through its forms (a text, a new node, a removed node's problem shown on its branch and choice, fixed), warned before leaving unsaved, published version ${v0 + 1}, read it back and simulated it`);
} catch (e) {
  await reportFailure(e, page, gateway);
  status = 1;
} finally {
  await cleanUp({ browser, gateway, dir });
}
process.exit(status);
