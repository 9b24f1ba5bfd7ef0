// Runs Debian's nginx on loopback with deploy/nginx.conf included unchanged, as an operator's
// server block would include it: the real thing, next to support.mjs's imitation of static hosts.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");
export const NGINX_CONF = join(ROOT, "deploy/nginx.conf");
const MIME_TYPES = process.env.NGINX_MIME_TYPES || "/etc/nginx/mime.types";

/**
 * The nginx to run: $NGINX, else `nginx` on PATH, else Debian's /usr/sbin/nginx (not on a
 * regular user's PATH); null when there is none.
 */
export function nginxBinary() {
  if (process.env.NGINX) return process.env.NGINX;
  const dirs = [...(process.env.PATH || "").split(delimiter).filter(Boolean), "/usr/sbin", "/usr/local/sbin"];
  return dirs.map((dir) => join(dir, "nginx")).find((file) => existsSync(file)) ?? null;
}

/** A TCP port that was free a moment ago (the kernel picks it for a listener on port 0). */
function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

/** A double-quoted nginx string. */
const quote = (s) => `"${s.replace(/[\\"]/g, (c) => "\\" + c)}"`;

function mainConfig({ prefix, port, root }) {
  // Everything nginx writes (pid, logs, temp files) stays in the prefix folder, so it runs
  // without touching /var or /run; one process, in the foreground, as our child.
  const tmp = (name) => quote(join(prefix, name));
  return `daemon off;
master_process off;
worker_processes 1;
pid ${tmp("nginx.pid")};
error_log stderr warn;
events { worker_connections 64; }
http {
    include ${quote(MIME_TYPES)};
    default_type application/octet-stream;
    access_log ${tmp("access.log")};
    client_body_temp_path ${tmp("client_body")};
    proxy_temp_path ${tmp("proxy")};
    fastcgi_temp_path ${tmp("fastcgi")};
    uwsgi_temp_path ${tmp("uwsgi")};
    scgi_temp_path ${tmp("scgi")};
    server {
        listen 127.0.0.1:${port};
        server_name localhost;
        root ${quote(root)};
        include ${quote(NGINX_CONF)};
    }
}
`;
}

/**
 * Serves `distDir` with nginx and deploy/nginx.conf on 127.0.0.1. Resolves once nginx answers
 * HTTP; rejects with nginx's stderr when it exits first or does not answer in time.
 * `nginx` names the binary (default: nginxBinary()).
 */
export async function startNginx(distDir, { nginx = nginxBinary() || "nginx", timeoutMs = 10_000 } = {}) {
  if (!existsSync(MIME_TYPES)) throw new Error(`${MIME_TYPES} missing: install nginx (scripts/setup --test)`);
  const prefix = await mkdtemp(join(tmpdir(), "quire-nginx-"));
  const port = await freePort();
  const confPath = join(prefix, "nginx.conf");
  await writeFile(confPath, mainConfig({ prefix, port, root: resolve(distDir) }));

  // -e: nginx opens its error log before reading the config; keep that one off /var too.
  const child = spawn(nginx, ["-p", prefix + "/", "-c", confPath, "-e", "stderr"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
  const exited = new Promise((ok) => {
    child.once("exit", (code, signal) => ok({ code, signal }));
    child.once("error", (error) => ok({ error }));
  });
  let running = true;
  exited.then(() => (running = false));
  // Never leave nginx behind when the test process ends without calling stop().
  const killOnExit = () => running && child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const stop = async () => {
    process.off("exit", killOnExit);
    if (running) {
      child.kill("SIGTERM"); // fast shutdown
      const late = setTimeout(() => running && child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(late);
    }
    await rm(prefix, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await Promise.race([
      fetch(url + "/", { redirect: "manual" }).then(
        async (res) => (await res.arrayBuffer(), true),
        () => false,
      ),
      exited.then((how) => ({ how })),
    ]);
    if (ready === true) return { url, port, stop };
    if (ready?.how || Date.now() > deadline) {
      const how = ready?.how;
      await stop();
      const why = how?.error
        ? how.error.code === "ENOENT" ? `${nginx} not found: install it with scripts/setup --test` : how.error.message
        : how ? `nginx exited (${how.signal || `code ${how.code}`})` : `nginx did not answer on ${url} within ${timeoutMs} ms`;
      throw new Error(`${why}\n${stderr.trim()}`);
    }
    await new Promise((ok) => setTimeout(ok, 25));
  }
}
