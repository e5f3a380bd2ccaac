// What the browser tests share: loading playwright-core, starting the real gateway binary on
// port 0 with a temporary config, launching Debian's Chromium with the flags that work on this
// machine's closed network, and refusing every request that would leave localhost.
import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

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
