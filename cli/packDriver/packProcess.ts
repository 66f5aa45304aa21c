import { ChildProcess, spawn } from "child_process";
import * as path from "path";

export interface PackProcessOptions {
  /** Extra environment for the pack (the engine passes PULUMI_CONFIG, PULUMI_NODEJS_* and so on). */
  readonly env?: Record<string, string>;
  /** How long to wait for the port line. */
  readonly startTimeoutMs?: number;
}

export interface StartedPack {
  readonly port: number;
  readonly child: ChildProcess;
  /** Milliseconds from spawn to the port line: the pack's start time as the engine sees it. */
  readonly startMs: number;
  /** Everything the pack wrote to stderr so far (for error messages). */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Starts a policy pack the way the Pulumi engine does (pulumi-language-nodejs RunPlugin):
 * `node <pack's @pulumi/pulumi/cmd/run-policy-pack> <engine-address> <pack-dir>` with the pack
 * directory as working directory, then reads the port from the first line of stdout.
 */
export function startPack(packDir: string, opts: PackProcessOptions = {}): Promise<StartedPack> {
  const dir = path.resolve(packDir);
  let runner: string;
  try {
    runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] });
  } catch {
    return Promise.reject(
      new Error(`the policy pack's dependencies are not installed: cannot find @pulumi/pulumi/cmd/run-policy-pack from ${dir}; run npm ci`),
    );
  }
  const started = Date.now();
  const child = spawn(process.execPath, [runner, "127.0.0.1:0", dir], {
    cwd: dir,
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (d: string) => {
    err += d;
    if (err.length > 64 * 1024) err = err.slice(-64 * 1024);
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the policy pack in ${dir} did not print its port within ${opts.startTimeoutMs ?? 120000} ms\n${err}`));
    }, opts.startTimeoutMs ?? 120000);
    const onData = (d: Buffer) => {
      out += d.toString("utf8");
      const nl = out.indexOf("\n");
      if (nl < 0) return;
      child.stdout!.off("data", onData);
      // Anything after the port line is the pack's own output; keep draining it.
      child.stdout!.on("data", () => undefined);
      clearTimeout(timer);
      const port = Number(out.slice(0, nl).trim());
      if (!Number.isInteger(port) || port <= 0 || port > 65535) {
        child.kill("SIGKILL");
        reject(new Error(`the policy pack in ${dir} wrote an invalid port to stdout: ${JSON.stringify(out.slice(0, nl))}\n${err}`));
        return;
      }
      resolve({
        port,
        child,
        startMs: Date.now() - started,
        stderr: () => err,
        stop: () =>
          new Promise<void>((res) => {
            if (child.exitCode !== null || child.signalCode !== null) return res();
            child.once("exit", () => res());
            child.kill("SIGTERM");
            setTimeout(() => child.kill("SIGKILL"), 2000).unref();
          }),
      });
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the policy pack in ${dir} exited (${signal ?? code}) before printing its port:\n${err}`));
    });
  });
}
