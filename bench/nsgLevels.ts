import { resolveGate } from "../policies/model/config";
import { StackAnalysis } from "../policies/model/analysis";
import { RULES } from "../policies/rules";
import { toResourceInputs } from "../policies/model/resourceInputs";
import { Estate, HOST_TAGS, rule } from "../test/support/estate";
import { BENCH_NOW, rng } from "./estate";

// An attacker-sized NSG (docs/threat-model.md#bypass-catalogue, row 38): thousands of prefixes and port ranges in interleaved allows and denies,
// attached once at the NIC, or at both the subnet and the NIC. Run: `npm run build && node dist/bench/nsgLevels.js`.
// Measured with a script, never a timed test: two cores shared with other work make test timings noise.

export function attackRules(
  seed = 7,
  count = Number(process.env.NSG_RULES ?? 40),
  perRule = Number(process.env.NSG_PREFIXES ?? 60),
): Array<Record<string, unknown>> {
  const r = rng(seed);
  const out: Array<Record<string, unknown>> = [];
  for (let k = 0; k < count; k++) {
    // Overlapping prefixes (lengths 8 to 24) and port ranges of every width: each rule cuts the flows the rules above left.
    const sources = Array.from(
      { length: perRule },
      () => `${20 + Math.floor(r() * 180)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.0/${8 + Math.floor(r() * 17)}`,
    );
    const ports = Array.from({ length: Math.max(1, perRule / 2) }, () => {
      const lo = 1 + Math.floor(r() * 60000);
      return `${lo}-${lo + Math.floor(r() * 5000)}`;
    });
    out.push(rule({ name: `r${k}`, priority: 100 + k, sources, ports, protocol: "Tcp", access: k % 2 === 0 ? "Allow" : "Deny" }));
  }
  return out;
}

export function levelsEstate(twoLevels: boolean, preview = false): Estate {
  const e = new Estate({ preview });
  const nsg = e.nsg("nsg-attack", attackRules());
  const vnet = e.vnet("vnet", ["10.0.0.0/16"]);
  const sub = e.subnet("snet", vnet, "10.0.1.0/24", twoLevels ? nsg : undefined);
  const pip = e.publicIp("pip-ex01");
  const nic = e.nic("nic-ex01", { subnet: sub, nsg, publicIp: pip, privateIp: "10.0.1.4" });
  e.vm("ex01", { nics: [nic], tags: HOST_TAGS("unverified") });
  return e;
}

function time(twoLevels: boolean): { ms: number; violations: number } {
  const e = levelsEstate(twoLevels);
  const { gate } = resolveGate({ asOf: BENCH_NOW });
  const t0 = process.hrtime.bigint();
  const a = new StackAnalysis(toResourceInputs(e.resources, new Set()), gate, new Date(BENCH_NOW));
  let violations = 0;
  for (const r of RULES) if (r.kind === "stack") violations += r.evaluate(a, {}).length;
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, violations };
}

function main(): void {
  for (const two of [false, true]) {
    const runs = [0, 1, 2].map(() => time(two));
    const ms = runs.map((x) => x.ms).sort((a, b) => a - b)[1];
    process.stdout.write(`${two ? "subnet + NIC" : "NIC only"}: median ${ms.toFixed(0)} ms of 3 (${runs[0].violations} violations)\n`);
  }
}

if (require.main === module) main();
