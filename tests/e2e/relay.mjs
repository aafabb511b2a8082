// A real mandate-relay for the exchange tests: a CA and a certificate for
// 127.0.0.1 made here with openssl, the relay over TLS on a free port, an account
// for the firm. Stopped by PID, also when a test fails.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const RELAY = process.env.MANDATE_RELAY_BIN ?? join(root, "target/debug/mandate-relay");

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 60000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

/** A test CA and a certificate for 127.0.0.1 and localhost signed by it. */
export function makeCa() {
  const dir = mkdtempSync(join(tmpdir(), "mandate-e2e-ca-"));
  const p = (f) => join(dir, f);
  run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", p("ca.key"), "-out", p("ca.pem"), "-days", "2", "-subj", "/CN=Mandate e2e test CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  run("openssl", ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", p("relay.key"), "-out", p("relay.csr"), "-subj", "/CN=127.0.0.1"]);
  writeFileSync(p("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
  run("openssl", ["x509", "-req", "-in", p("relay.csr"), "-CA", p("ca.pem"), "-CAkey", p("ca.key"),
    "-CAcreateserial", "-out", p("relay.pem"), "-days", "2", "-extfile", p("ext.cnf")]);
  return {
    dir,
    caFile: p("ca.pem"),
    caPem: readFileSync(p("ca.pem"), "utf8"),
    cert: p("relay.pem"),
    key: p("relay.key"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** An account on the relay's data folder; its token. */
export function relayAccount(dataDir, name) {
  return run(RELAY, ["account", "add", name, "--data-dir", dataDir]).trim().split(/\s+/).pop();
}

/**
 * Starts the relay on `port` (0: a free one) and resolves once it says where it
 * listens: {url, port, stop}.
 */
export function startRelay(ca, dataDir, port = 0) {
  const child = spawn(RELAY, ["serve", "--listen", `127.0.0.1:${port}`, "--data-dir", dataDir, "--tls-cert", ca.cert, "--tls-key", ca.key], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const stop = () => {
    try {
      child.kill("SIGKILL");
    } catch {
      /* already gone */
    }
  };
  process.on("exit", stop);
  return new Promise((ok, fail) => {
    let out = "";
    const timer = setTimeout(() => {
      stop();
      fail(new Error(`the relay did not start: ${out}`));
    }, 30000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (https:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        const url = m[1];
        const exited = new Promise((r) => child.once("exit", r));
        ok({
          url,
          port: Number(new URL(url).port),
          stop: async () => {
            stop();
            await exited;
          },
        });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`the relay exited (${code}): ${out}`));
    });
  });
}
