// Accounts in a real browser: no menu, "Đổi mật khẩu" or "Đăng xuất" before login; the first
// login refuses two new passwords that differ (before anything is sent) and a common one
// ("1234567890", refused by the gateway, its message beside the field); an admin adds an
// official whose scope is found by typing a commune's name without accents, sets a user's
// password typed twice (a mismatch and a common one refused, then accepted and usable); and
// changes their own password from the header, in English. No CSP violation on the way.
// Screenshots at 1366×768 and 390×844.
//
//   DGW_E2E_SCREENSHOTS=/tmp/shots node tests/e2e/accounts.test.mjs path/to/dialogue-gateway
//
// Exit 0 = passed, 1 = failed, 77 = skipped (only when /usr/bin/chromium is absent).
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { check, cleanUp, firstPassword, launch, loadPlaywright, openLoggedOut, openPage, reportFailure, startGateway,
         until, watchCsp } from "./lib.mjs";

const binary = process.argv[2] || process.env.DGW_BINARY;
const playwright = loadPlaywright(binary);
const shots = process.env.DGW_E2E_SCREENSHOTS || "";
if (shots) mkdirSync(shots, { recursive: true });

const dir = mkdtempSync(join(tmpdir(), "dgw-e2e-accounts-"));
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
  const cspViolations = await watchCsp(page);

  await openLoggedOut(page, base);
  if (shots) await page.screenshot({ path: join(shots, "login-1366.png") });

  // The first login: the one-time password must be replaced, typed twice, and not by a common one.
  await page.getByLabel("Tên đăng nhập").fill("admin");
  await page.getByLabel("Mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  const current = page.getByLabel("Mật khẩu hiện tại");
  const fresh = page.getByLabel("Mật khẩu mới", { exact: true });
  const again = page.getByLabel("Nhập lại mật khẩu mới");
  await current.fill(password);
  await fresh.fill("a-new-long-password-2026");
  await again.fill("a-new-long-password-2027");
  await page.getByRole("button", { name: "Đổi mật khẩu" }).click();
  await page.getByText("Hai mật khẩu mới không giống nhau.").waitFor();
  check(await again.evaluate((e) => e === document.activeElement), "the mismatch does not focus the second field");
  if (shots) await page.screenshot({ path: join(shots, "password-mismatch-1366.png") });
  await fresh.fill("1234567890");
  await again.fill("1234567890");
  await page.getByRole("button", { name: "Đổi mật khẩu" }).click();
  await page.getByText(/Mật khẩu này quá phổ biến/).waitFor();
  check(await current.isVisible(), "a common password was accepted");
  await fresh.fill("a-new-long-password-2026");
  await again.fill("a-new-long-password-2026");
  await page.getByRole("button", { name: "Đổi mật khẩu" }).click();
  await page.getByRole("heading", { name: "Phản ánh khẩn cấp" }).waitFor();
  check(await page.locator("#nav").isVisible(), "no menu after login");
  check(await page.getByRole("button", { name: "Đăng xuất" }).isVisible(), "no Đăng xuất after login");

  // An official of Bát Xát, the commune found by its name without accents.
  await page.getByRole("link", { name: "Tài khoản" }).click();
  const add = page.getByRole("form", { name: "Thêm tài khoản" });
  await add.getByLabel("Tên đăng nhập").fill("minh");
  await add.getByLabel("Vai trò").selectOption("official");
  await add.getByLabel("Phạm vi (cán bộ)").fill("bat xat");
  await add.getByRole("button", { name: /^\+ Xã Bát Xát/ }).click();
  await add.getByLabel("Phạm vi (cán bộ)").fill("cap tinh");
  await add.getByLabel("Phạm vi (cán bộ)").press("Enter");
  const chips = await add.locator("li.chip").allInnerTexts();
  check(chips.length === 2 && chips[0].includes("Xã Bát Xát") && chips[1].includes("Cấp tỉnh"), `chosen: ${chips}`);
  await add.getByRole("button", { name: "Bỏ khỏi phạm vi: Cấp tỉnh" }).click();
  await add.getByRole("button", { name: "Thêm tài khoản" }).click();
  await page.getByText("Mật khẩu một lần của minh").waitFor();
  const row = await page.locator("tr", { hasText: "minh" }).innerText();
  check(row.includes("Xã Bát Xát") && !row.includes("Cấp tỉnh"), `minh's row: ${row}`);

  // A viewer, whose password the admin then sets.
  await add.getByLabel("Tên đăng nhập").fill("lan");
  await add.getByLabel("Vai trò").selectOption("viewer");
  check(!(await add.getByLabel("Phạm vi (cán bộ)").isVisible()), "a viewer is offered a scope");
  await add.getByRole("button", { name: "Thêm tài khoản" }).click();
  await page.getByText("Mật khẩu một lần của lan").waitFor();
  // An admin sets a user's password, typed twice: a mismatch and a common one are refused.
  await page.getByRole("button", { name: "Sửa: lan" }).click();
  const set = page.getByRole("form", { name: "Đặt mật khẩu: lan" });
  await set.getByLabel("Mật khẩu mới", { exact: true }).fill("sông Hồng chảy qua Lào Cai");
  await set.getByLabel("Nhập lại mật khẩu mới").fill("sông Hồng chảy qua Lào Cai!");
  await set.getByRole("button", { name: "Đặt mật khẩu" }).click();
  await set.getByText("Hai mật khẩu mới không giống nhau.").waitFor();
  await set.getByLabel("Mật khẩu mới", { exact: true }).fill("matkhau123");
  await set.getByLabel("Nhập lại mật khẩu mới").fill("matkhau123");
  await set.getByRole("button", { name: "Đặt mật khẩu" }).click();
  await set.getByText(/Mật khẩu này quá phổ biến/).waitFor();
  if (shots) await page.screenshot({ path: join(shots, "users-1366.png"), fullPage: true });
  await set.getByLabel("Mật khẩu mới", { exact: true }).fill("sông Hồng chảy qua Lào Cai");
  await set.getByLabel("Nhập lại mật khẩu mới").fill("sông Hồng chảy qua Lào Cai");
  await set.getByRole("button", { name: "Đặt mật khẩu" }).click();
  await until("the password set", async () => (await page.locator("#flash").innerText()).includes("Đã đặt mật khẩu mới cho lan"));
  const login = await fetch(base + "/api/v1/auth/login", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "lan", password: "sông Hồng chảy qua Lào Cai" }) });
  check(login.status === 200, `lan cannot log in with the password set: ${login.status}`);

  // An official's office and phone, for the reminders of work assigned to that office: a
  // number that is not one is refused beside its field.
  await page.getByRole("button", { name: "Sửa: minh" }).click();
  const edit = page.getByRole("form", { name: "Sửa tài khoản minh" });
  await edit.getByLabel("Cơ quan, phòng ban").fill("Phòng Kinh tế xã Bát Xát");
  await edit.getByLabel("Điện thoại nhận nhắc việc").fill("12");
  await edit.getByRole("button", { name: "Lưu" }).click();
  await edit.locator(".field-error").waitFor();
  check(/điện thoại/.test(await edit.locator(".field-error").innerText()), `the phone's refusal: ${await edit.locator(".field-error").innerText()}`);
  await edit.getByLabel("Điện thoại nhận nhắc việc").fill("0987 654 321");
  await edit.getByRole("button", { name: "Lưu" }).click();
  await page.getByRole("cell", { name: /minh\s*Phòng Kinh tế xã Bát Xát/ }).waitFor();
  const users = await page.evaluate(async () => (await fetch("/api/v1/users")).json());
  const minh = users.items.find((u) => u.name === "minh");
  check(minh.office === "Phòng Kinh tế xã Bát Xát" && minh.phone === "+84987654321", `minh's office and phone: ${JSON.stringify(minh)}`);
  if (shots) await page.screenshot({ path: join(shots, "users-office-1366.png"), fullPage: true });

  // The admin changes their own password from the header, in English this time.
  await page.getByRole("button", { name: "Language / Ngôn ngữ" }).click();
  await page.getByRole("link", { name: "Change password" }).click();
  await page.getByLabel("Current password").fill("a-new-long-password-2026");
  await page.getByLabel("New password", { exact: true }).fill("qwertyuiop123");
  await page.getByLabel("New password again").fill("qwertyuiop123");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.getByText(/too common/).waitFor();
  await page.getByLabel("New password", { exact: true }).fill("clouds over the rice terraces");
  await page.getByLabel("New password again").fill("clouds over the rice terraces");
  await page.getByRole("button", { name: "Change password" }).click();
  await until("the change", async () => (await page.locator("#flash").innerText()).includes("Password changed"));
  await page.getByRole("heading", { name: "Urgent concerns" }).waitFor();

  // On a phone the accounts page fits without sideways scrolling.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole("link", { name: "Accounts" }).click();
  await page.getByRole("heading", { name: "Accounts", exact: true }).waitFor();
  await page.getByRole("button", { name: "Edit: lan" }).click();
  if (shots) await page.screenshot({ path: join(shots, "users-390.png"), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(overflow <= 0, `the accounts page scrolls sideways on a phone by ${overflow}px`);

  const csp = await cspViolations();
  check(csp.length === 0, `CSP violations: ${csp.join("; ")}`);
  check(outside.length === 0, `requests left the gateway: ${outside.join(", ")}`);
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  console.log("PASS: no menu before login; mismatched and common passwords refused at first login, by an admin and " +
              "for one's own; a scope found without accents; passwords set and changed");
} catch (e) {
  await reportFailure(e, page, gateway);
  status = 1;
} finally {
  await cleanUp({ browser, gateway, dir });
}
process.exit(status);
