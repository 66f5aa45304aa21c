/** `exchange-guard explain`: every path to one host, open and closed, with the rule deciding each. */
import { runInProcess as run } from "./runCli";

interface Group {
  access: string;
  steps: Array<{ level: string; nsg: string; rule?: { name: string; priority?: number; access: string } }>;
  sources: string;
  service: string;
}
interface Path {
  origin: string;
  kind: string;
  verdict: string;
  path: Array<{ kind: string; text: string }>;
  allowed: Group[];
  denied: Group[];
}

describe("exchange-guard explain", () => {
  it("ex02 of incident-2-compromised: closed to the internet by the isolation NSG's deny rule, open only to forensics", async () => {
    const r = await run(["explain", "ex02", "--stack", "incident-2-compromised", "--json", "-q"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { host: string; state: string; needs: string[]; paths: Path[] };
    expect(out.host).toBe("ex02-g1");
    expect(out.state).toBe("compromised");
    expect(out.needs.join(" ")).toContain("rebuild from scratch");
    // No path from outside was built for it.
    expect(out.paths.filter((p) => p.origin === "path")).toEqual([]);
    const closed = out.paths.find((p) => p.origin === "internet at the NIC")!;
    expect(closed.verdict).toBe("closed");
    expect(
      closed.denied.map((g) => [g.steps[0].level, g.steps[0].nsg, g.steps[0].rule?.name, g.steps[0].rule?.priority, g.steps[0].rule?.access]),
    ).toEqual([["subnet", "exg-incident-2-compr-quarantine-nsg", "deny-all-in", 110, "deny"]]);
    const open = out.paths.find((p) => p.origin === "network at the NIC")!;
    expect(open.verdict).toBe("open");
    expect(open.allowed.map((g) => [g.steps.map((s) => s.rule?.name), g.sources, g.service])).toEqual([
      [["allow-forensics-in", "allow-forensics-in"], "10.30.3.0/24, 10.30.4.0/26", "TCP 3389, 5985-5986"],
    ]);
  });

  it("says it in words on a terminal-less run: the deny rule with its NSG and priority", async () => {
    const r = await run(["explain", "ex02-g1", "--stack", "incident-2-compromised", "-q"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("CLOSED  NIC ex02-g1-nic/ipconfig1 from the internet");
    expect(r.stdout).toContain("denied: subnet NSG exg-incident-2-compr-quarantine-nsg rule deny-all-in (110) denies *");
    expect(r.stdout).toMatch(
      /OPEN {2}NIC ex02-g1-nic\/ipconfig1 from inside the network\n\s+allowed: subnet NSG \S+ rule allow-forensics-in \(100\)/,
    );
  });

  it("an open path of a deployed stack: the verified host behind the load balancer, with the rule that lets 443 in", async () => {
    const r = await run([
      "explain",
      "ex01-g1",
      "--export",
      "examples/example.export.json",
      "--policy-pack-config",
      "stacks/policy-config/example.json",
      "--json",
      "-q",
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { paths: Path[]; verified: boolean };
    expect(out.verified).toBe(true);
    const lb = out.paths.filter((p) => p.origin === "path" && p.kind === "load balancer" && p.verdict === "open");
    expect(lb.length).toBeGreaterThan(0);
    expect(lb.map((p) => p.path.map((h) => h.kind))).toContainEqual(["public IP", "load balancer", "backend pool", "NIC"]);
    const https = lb.flatMap((p) => p.allowed).find((g) => g.service === "TCP 443")!;
    expect(https.steps.every((s) => s.rule?.access === "allow")).toBe(true);
  });

  it("an unknown host: exit 2 with the hosts it knows", async () => {
    const r = await run(["explain", "ex09", "--stack", "incident-2-compromised", "-q"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no host "ex09"');
    expect(r.stderr).toContain("hosts: ex01-g1, ex02-g1, ex03-g1");
  });

  it("needs one input, and only one of --export and --azure", async () => {
    expect((await run(["explain", "ex02"])).code).toBe(2);
    const r = await run(["explain", "ex02", "--export", "a.json", "--azure", "b.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("one of --stack, --export or --azure");
  });

  it("has its help", async () => {
    const r = await run(["help", "explain"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--html <file>");
    expect(r.stdout).toContain("URN or its ARM id (case-insensitive)");
  });
});
