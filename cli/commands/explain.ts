import * as fs from "fs";
import * as path from "path";
import { FleetConfigError } from "../../stacks/config/fleetConfig";
import { StackFileError } from "../../stacks/config/programConfig";
import { stackFile, STACKS_DIR } from "../../stacks/config/stackFile";
import { readLiveEstate } from "../audit/azure/estate";
import { readStackExport } from "../audit/stackExport";
import { InputError } from "../errors";
import { hostOfName, type Host } from "../../policies/model";
import { CliIo, RunStack } from "../io";
import { hostStories, HostStory, redactor } from "../report/hostStory";
import { pathLines } from "../report/pathWords";
import { writePictures } from "../report/pictures";
import { COLOUR, messageBody, PLAIN, Style } from "../report/text";
import { bundledPolicyConfig, unknownStackMessage } from "./stackFiles";
import { progressFor } from "./progress";
import { judge, JudgedStack, OutputOptions } from "./shared";

export interface ExplainOptions extends OutputOptions {
  /** A stack of this repository, run offline as `check` runs it. */
  readonly stack?: string;
  readonly stacksDir?: string;
  /** A `pulumi stack export`, as `audit` reads it. */
  readonly export?: string;
  /** Resource Graph output, as `audit --azure` reads it. */
  readonly azure?: readonly string[];
}

/**
 * The forms a host may be named by: the VM's name as the reports print it (`ex02-g1`), the host's name in the stack
 * config without its generation (`ex02`, when one host has it), its URN, or its ARM id; case-insensitive.
 */
export function findHosts(hosts: readonly Host[], wanted: string): Host[] {
  const w = wanted.trim().toLowerCase();
  const exact = hosts.filter((h) => h.name.toLowerCase() === w || h.urn.toLowerCase() === w || (h.vm.id ?? "") === w.replace(/^\/*/, "/"));
  if (exact.length > 0) return exact;
  return hosts.filter((h) => hostOfName(h.name).toLowerCase() === w);
}

async function loadStack(opts: ExplainOptions, io: CliIo, runStack: RunStack): Promise<{ what: string; stack: JudgedStack; policyConfig?: string }> {
  const sources = [
    opts.stack !== undefined && opts.export === undefined && opts.azure === undefined,
    opts.export !== undefined,
    opts.azure !== undefined,
  ];
  if (opts.azure !== undefined && opts.export !== undefined) throw new InputError("explain takes one of --stack, --export or --azure");
  if (opts.azure !== undefined) {
    progressFor(opts, io.stderr).phase(`reading Resource Graph output (${opts.azure.length} file${opts.azure.length === 1 ? "" : "s"})`);
    const estate = readLiveEstate(opts.azure);
    return {
      what: "the live Azure estate (Resource Graph)",
      stack: { analyze: estate.resources, analyzeStack: estate.resources, stack: opts.stack ?? "azure", project: "resource-graph" },
    };
  }
  if (opts.export !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(opts.export, "utf8");
    } catch (e) {
      throw new InputError(`cannot read --export ${opts.export}: ${(e as Error).message}`);
    }
    return { what: `the stack export ${opts.export}`, stack: readStackExport(text, opts.export) };
  }
  if (!sources[0]) throw new InputError("explain needs --stack <name>, --export <file> or --azure <files…>");
  const name = opts.stack!;
  const dir = opts.stacksDir ?? STACKS_DIR;
  if (!fs.existsSync(stackFile(name, dir))) throw new InputError(unknownStackMessage(name, dir));
  progressFor(opts, io.stderr).phase(`running the program of stack ${name} offline (mock runtime, preview)`);
  try {
    const offline = await runStack(name, { preview: true, stacksDir: opts.stacksDir });
    return { what: `stack ${name} (offline preview)`, stack: offline, policyConfig: opts.stacksDir ? undefined : bundledPolicyConfig(name) };
  } catch (e) {
    if (e instanceof FleetConfigError || e instanceof StackFileError) throw new InputError((e as Error).message);
    throw e;
  }
}

function storyText(h: HostStory, style: Style, r: (s: string) => string): string[] {
  const verdict = h.verdict === "blocked" ? style.red("BLOCKED") : h.verdict === "advice" ? style.yellow("advice") : style.green("ok");
  const out = [
    `${style.bold(r(h.host))} ${style.dim(r(h.urn))}`,
    `  state: ${r(h.state)}; newest assessment: ${r(h.assessment)}; verdict: ${verdict}`,
    h.needs.length > 0 ? "  still needs:" : "  still needs: nothing (verified)",
    ...h.needs.map((n) => `    - ${r(n)}`),
  ];
  const routes = h.paths.filter((p) => p.origin === "path");
  out.push("", style.bold(`  Paths from outside (${routes.length})`));
  if (routes.length === 0) out.push("    none: no public IP, load balancer, gateway, firewall, Bastion, Front Door or API Management reaches it");
  for (const p of routes) out.push(...pathLines(p).map((l, i) => `    ${i === 0 ? colourVerdict(r(l), style) : r(l)}`));
  const atNic = h.paths.filter((p) => p.origin !== "path");
  if (atNic.length > 0) out.push("", style.bold("  At the NIC, whatever path brings the traffic"));
  for (const p of atNic) out.push(...pathLines(p).map((l, i) => `    ${i === 0 ? colourVerdict(r(l), style) : r(l)}`));
  out.push("", style.bold(`  Violations (${h.diagnostics.length})`));
  if (h.diagnostics.length === 0) out.push("    none");
  for (const d of h.diagnostics)
    out.push(
      `    [${d.enforcementLevel === "mandatory" ? style.red("mandatory") : style.yellow(d.enforcementLevel)}] ${d.policyName}: ${r(messageBody(d))}`,
    );
  return out;
}

/** Every string of a value redacted (for --json: the structure stays, no secret text in any field). */
export function redactDeep(v: unknown, r: (s: string) => string): unknown {
  if (typeof v === "string") return r(v);
  if (Array.isArray(v)) return v.map((x) => redactDeep(x, r));
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactDeep(x, r)]));
  return v;
}

function colourVerdict(line: string, style: Style): string {
  if (line.startsWith("OPEN")) return style.red("OPEN") + line.slice(4);
  if (line.startsWith("CLOSED")) return style.green("CLOSED") + line.slice(6);
  if (line.startsWith("UNDECIDABLE")) return style.yellow("UNDECIDABLE") + line.slice(11);
  return line;
}

/** `explain <host>`: every path the model knows to the host, open and closed, the rules deciding each, and its gate state. */
export async function explain(wanted: string, opts: ExplainOptions, io: CliIo, runStack: RunStack): Promise<number> {
  const { what, stack, policyConfig } = await loadStack(opts, io, runStack);
  const { report } = await judge(stack, { ...opts, policyPackConfig: opts.policyPackConfig ?? policyConfig }, io);
  const hosts = report.analysis?.hosts ?? [];
  const found = findHosts(hosts, wanted);
  if (found.length !== 1) {
    const names = hosts.map((h) => h.name);
    throw new InputError(
      `${found.length === 0 ? `no host "${wanted}"` : `"${wanted}" names ${found.length} hosts`} in ${what}; give the VM name as the reports print it, the host name without its generation, its URN or its ARM id` +
        (names.length > 0 ? `\nhosts: ${names.join(", ")}` : "\nit holds no Exchange host"),
    );
  }
  const only = new Set([found[0].urn]);
  const title = `exchange-guard explain ${found[0].name} (${what}${(opts.policyPackConfig ?? policyConfig) ? `, policy config ${path.relative(process.cwd(), (opts.policyPackConfig ?? policyConfig)!)}` : ""})`;
  await writePictures(title, report, opts, only);
  const r = redactor(report.secrets);
  const [story] = hostStories(report, only);
  if (opts.json) {
    const diagnostics = story.diagnostics.map((d) => ({ policy: d.policyName, level: d.enforcementLevel, message: messageBody(d) }));
    io.stdout.write(JSON.stringify(redactDeep({ title, ...story, diagnostics }, r), null, 2) + "\n");
    return 0;
  }
  const style = io.stdout.isTTY ? COLOUR : PLAIN;
  io.stdout.write([style.bold(r(title)), "", ...storyText(story, style, r)].join("\n") + "\n");
  return 0;
}
