// Account management (admins): list, add, change role and scope, disable, reset a password.
// Uses the helpers of app.js (api, el, show, t, addPage), which is loaded first.
"use strict";

// A password or token the API shows once: kept until the page is drawn again, then forgotten.
let shownOnce = null;

const ROLES = ["official", "viewer", "admin"];
// How many days before a deadline an office is reminded (the server's rule, read with the list).
let reminderDays = 3;

// What an official's scope may name, found by typing: levels and communes (about a hundred,
// which a multi-select made people Ctrl-click through), matched by name with or without
// diacritics ("bat xat" finds "Xã Bát Xát"). The chosen ones are listed, each with a button to
// take it out. `input` is the search box (labelled, focused by error messages), `value()` the
// chosen codes and level ids.
function scopePicker(places, initial) {
  const levelName = (l) => (lang === "vi" ? l.name_vi : l.name_en);
  const items = [
    ...places.levels.map((l) => ({ id: l.id, name: levelName(l), kind: t("level") })),
    ...places.units.slice().sort((a, b) => a.name.localeCompare(b.name, "vi"))
      .map((u) => ({ id: u.code, name: u.name, kind: t("commune") })),
  ];
  const byId = new Map(items.map((it) => [it.id, it]));
  const picked = new Set(initial);
  const input = el("input", { type: "search", autocomplete: "off", placeholder: t("scope_hint"), "aria-autocomplete": "list" });
  const results = el("ul", { class: "plain picker-results", "aria-live": "polite" });
  const chips = el("ul", { class: "chips", "aria-label": t("scope_chosen") });
  const draw = () => {
    chips.replaceChildren(...[...picked].map((id) => {
      const name = byId.has(id) ? byId.get(id).name : id;
      return el("li", { class: "chip", "data-id": id }, name,
        el("button", { type: "button", class: "chip-remove", "aria-label": t("scope_remove") + ": " + name, onclick: () => {
          picked.delete(id);
          draw();
          input.focus();
        } }, "×"));
    }));
    if (!picked.size) chips.append(el("li", { class: "muted" }, t("scope_empty")));
    const q = fold(input.value.trim());
    const hits = q ? items.filter((it) => !picked.has(it.id) && fold(it.name).includes(q)).slice(0, 8) : [];
    results.replaceChildren(...hits.map((it) => el("li", {},
      el("button", { type: "button", class: "pick", onclick: () => {
        picked.add(it.id);
        input.value = "";
        draw();
        input.focus();
      } }, "+ ", it.name, " ", el("span", { class: "muted" }, "(", it.kind, ")")))));
    if (q && !hits.length) results.append(el("li", { class: "muted" }, t("scope_no_match")));
  };
  input.addEventListener("input", draw);
  // Enter takes the first match instead of sending the form.
  input.addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter") return;
    ev.preventDefault();
    const first = results.querySelector("button");
    if (first) first.click();
  });
  draw();
  const id = "f" + Math.random().toString(36).slice(2);
  input.id = id;
  const wrap = el("div", { class: "picker" }, el("label", { for: id }, t("scope")), input, results, chips);
  return { input, wrap, value: () => [...picked] };
}

// The scope as people read it: names instead of codes.
function scopeText(places, scope) {
  const names = new Map([...places.units.map((u) => [u.code, u.name]),
    ...places.levels.map((l) => [l.id, lang === "vi" ? l.name_vi : l.name_en])]);
  return scope.map((s) => names.get(s) || s).join(", ");
}

// A role's scope only matters for officials: the picker is shown only then.
function roleFields(places, user) {
  const role = el("select", {}, ROLES.map((r) => option(r, t("role_" + r), r === user.role)));
  const scope = scopePicker(places, user.scope || []);
  const sync = () => { scope.wrap.hidden = role.value !== "official"; };
  role.addEventListener("change", sync);
  sync();
  return { role, scope };
}

function secretCard(what) {
  return el("section", { class: "card", "aria-labelledby": "secret-title" },
    el("h2", { id: "secret-title", tabindex: "-1" }, what.title),
    el("p", {}, el("output", { class: "secret", "aria-label": what.title }, what.value)),
    el("p", { class: "muted" }, t("shown_once")));
}

// Each action ends by drawing the page again, with a secret to show when there is one.
async function afterAction(message, secret) {
  shownOnce = secret || null;
  await route();
  flash(message);
}

function userEditForm(places, u) {
  const { role, scope } = roleFields(places, u);
  const disabled = el("input", { type: "checkbox", checked: u.disabled });
  // The office an answer may assign work to, and the phone its reminders go to by SMS.
  const office = el("input", { value: u.office || "", maxlength: 200, placeholder: t("office_hint") });
  const phone = el("input", { type: "tel", value: u.phone || "", autocomplete: "off", placeholder: "0912 345 678" });
  const form = el("form", { class: "row", "aria-label": t("edit_user") + " " + u.name, onsubmit: async (ev) => {
    ev.preventDefault();
    const body = { role: role.value, scope: role.value === "official" ? scope.value() : [], disabled: disabled.checked,
      office: office.value.trim(), phone: phone.value.trim() };
    try {
      await api("PATCH", "/users/" + encodeURIComponent(u.name), body);
      await afterAction(t("saved"));
    } catch (e) {
      formError(form, { scope: [/scope/, scope.input], admin: [/admin/, role], role: [/role/, role],
        phone: [/phone|điện thoại/, phone], office: [/office/, office] }, e);
    }
  } }, field(t("role"), role), scope.wrap, field(t("office"), office), field(t("office_phone"), phone),
  el("p", { class: "muted" }, t("office_help", { days: reminderDays })),
  el("div", {}, el("label", { class: "check" }, disabled, t("disabled"))),
  el("button", { class: "primary", type: "submit" }, t("save")));
  return form;
}

// An admin types the user's new password twice; the user must change it at the next login.
function setPasswordForm(u) {
  const pw = newPasswordFields();
  const form = el("form", { class: "card narrow", "aria-label": t("set_password") + ": " + u.name, onsubmit: async (ev) => {
    ev.preventDefault();
    if (!pw.check()) return;
    try {
      await api("POST", `/users/${encodeURIComponent(u.name)}/password`, { password: pw.pass.value });
      await afterAction(t("password_set", { name: u.name }));
    } catch (e) {
      formError(form, { password: [/./, pw.pass] }, e);
    }
  } }, el("h3", {}, t("set_password")), pw.wrap, el("button", { class: "primary", type: "submit" }, t("set_password")));
  return form;
}

function userRow(places, u) {
  const editRow = el("tr", { class: "edit-row", hidden: true }, el("td", { colspan: "5" }));
  const toggle = el("button", { type: "button", "aria-expanded": "false", "aria-label": t("edit") + ": " + u.name, onclick: () => {
    const open = editRow.hidden;
    editRow.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open) {
      editRow.firstChild.replaceChildren(userEditForm(places, u), setPasswordForm(u));
      editRow.querySelector("select").focus();
    }
  } }, t("edit"));
  const act = (label, path, secretTitle, key) => el("button", { type: "button", "aria-label": label + ": " + u.name, onclick: async () => {
    try {
      const r = await api("POST", `/users/${encodeURIComponent(u.name)}/${path}`);
      await afterAction(t("saved"), { title: secretTitle + " " + u.name, value: r[key] });
    } catch (e) { failure(e); }
  } }, label);
  const status = [u.disabled ? badge(t("disabled"), "urgent") : badge(t("active")), " ",
    u.must_change_password ? badge(t("one_time")) : null];
  return [el("tr", {}, el("td", {}, u.name, u.office ? el("div", { class: "muted" }, u.office) : null),
    el("td", {}, t("role_" + u.role)), el("td", {}, scopeText(places, u.scope)),
    el("td", {}, status),
    el("td", { class: "actions" }, toggle, " ", act(t("reset_password"), "password", t("new_password_of"), "password"), " ",
      u.disabled ? null : act(t("issue_token"), "tokens", t("token_of"), "token"))), editRow];
}

function addUserForm(places) {
  const name = el("input", { required: true, autocomplete: "off" });
  const { role, scope } = roleFields(places, { role: "official", scope: [] });
  const pw = newPasswordFields(true);
  const form = el("form", { class: "card noprint", "aria-labelledby": "add-user-title", onsubmit: async (ev) => {
    ev.preventDefault();
    const body = { name: name.value, role: role.value };
    if (role.value === "official") body.scope = scope.value();
    if (pw.pass.value || pw.again.value) {
      if (!pw.check()) return;
      body.password = pw.pass.value;
    }
    try {
      const r = await api("POST", "/users", body);
      // A password the admin typed is not shown again: there is no secret card then.
      await afterAction(t("user_added"), r.password ? { title: t("one_time_of") + " " + r.user.name, value: r.password } : null);
    } catch (e) {
      // The password's messages first: "…the user name…" is about the password.
      formError(form, { password: [/^password_/.test(e.code || "") ? /./ : /$^/, pw.pass], name: [/name|exists/, name],
        role: [/^role_/, role], scope: [/scope|official/, scope.input], role_named: [/role/, role] }, e);
    }
  } }, el("h2", { id: "add-user-title" }, t("add_user")),
  el("div", { class: "row" }, field(t("username"), name), field(t("role"), role)), scope.wrap,
  el("p", { class: "muted" }, t("name_rule")), pw.wrap,
  el("p", {}, el("button", { class: "primary", type: "submit" }, t("add_user"))));
  return form;
}

async function usersPage() {
  const [users, places] = await Promise.all([api("GET", "/users"), api("GET", "/localities")]);
  const secret = shownOnce;
  shownOnce = null;
  reminderDays = users.work_reminder_days;
  show(el("h1", {}, t("nav_users")),
    secret ? secretCard(secret) : null,
    addUserForm(places),
    el("div", { class: "card" }, stackOnPhones(el("table", {},
      el("thead", {}, el("tr", {}, el("th", {}, t("username")), el("th", {}, t("role")), el("th", {}, t("scope")),
        el("th", {}, t("status")), el("th", {}, t("actions")))),
      el("tbody", {}, users.items.map((u) => userRow(places, u)))))));
  if (secret) document.getElementById("secret-title").focus();
}

addPage("users", {
  nav: "nav_users",
  adminOnly: true,
  render: usersPage,
  words: {
    vi: {
      nav_users: "Tài khoản", add_user: "Thêm tài khoản", role: "Vai trò", scope: "Phạm vi (cán bộ)",
      office: "Cơ quan, phòng ban", office_hint: "Ví dụ: Phòng Kinh tế xã", office_phone: "Điện thoại nhận nhắc việc",
      office_help: "Việc được giao cho cơ quan này sẽ được nhắc qua SMS {days} ngày trước hạn.",
      role_admin: "Quản trị viên", role_official: "Cán bộ", role_viewer: "Chỉ xem",
      disabled: "Đã khóa", active: "Đang hoạt động", one_time: "Mật khẩu một lần", edit_user: "Sửa tài khoản",
      reset_password: "Đặt lại mật khẩu", issue_token: "Cấp mã API",
      one_time_of: "Mật khẩu một lần của", new_password_of: "Mật khẩu một lần mới của", token_of: "Mã API của",
      shown_once: "Chỉ hiển thị một lần: hãy chuyển cho người dùng ngay. Mật khẩu phải được đổi ở lần đăng nhập đầu.",
      user_added: "Đã thêm tài khoản.", set_password: "Đặt mật khẩu",
      scope_hint: "Gõ tên, ví dụ: bat xat", scope_chosen: "Phạm vi đã chọn",
      scope_remove: "Bỏ khỏi phạm vi", scope_empty: "Chưa chọn xã, phường hay cấp nào.", scope_no_match: "Không tìm thấy.",
      password_set: "Đã đặt mật khẩu mới cho {name}; người dùng phải đổi ở lần đăng nhập tới.",
      name_rule: "Tên đăng nhập: chữ thường không dấu, số, dấu chấm, gạch dưới hoặc gạch ngang.",
    },
    en: {
      nav_users: "Accounts", add_user: "Add an account", role: "Role", scope: "Scope (officials)",
      office: "Office", office_hint: "For example: Phòng Kinh tế xã", office_phone: "Phone for work reminders",
      office_help: "Work assigned to this office is reminded by SMS {days} days before its deadline.",
      role_admin: "Admin", role_official: "Official", role_viewer: "Viewer",
      disabled: "Disabled", active: "Active", one_time: "One-time password", edit_user: "Edit account",
      reset_password: "Reset password", issue_token: "Issue an API token",
      one_time_of: "One-time password of", new_password_of: "New one-time password of", token_of: "API token of",
      shown_once: "Shown only once: give it to the user now. The password must be changed at first login.",
      user_added: "Account added.", set_password: "Set the password",
      scope_hint: "Type a name, e.g. bat xat", scope_chosen: "Chosen scope",
      scope_remove: "Remove from the scope", scope_empty: "No commune, ward or level chosen.", scope_no_match: "Nothing found.",
      password_set: "New password set for {name}; they must change it at their next login.",
      name_rule: "User name: lower-case letters without accents, digits, '.', '_' or '-'.",
    },
  },
});
