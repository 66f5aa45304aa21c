/**
 * The CLI's behaviour, run in process through `main` (test/cli/runCli.ts): every command, exit code and message. The
 * built binary itself is proved by the few spawned runs in bin.smoke.test.ts.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { RULES } from "../../policies/rules";
import { ROOT, runInProcess as run } from "./runCli";

/** The official SARIF 2.1.0 schema (OASIS, rtm.5), as shipped by Microsoft's @microsoft/jest-sarif. */
const SARIF_SCHEMA = JSON.parse(fs.readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
// The schema has a pattern that is only valid without the `u` flag.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv as never);
const validateSarif = ajv.compile(SARIF_SCHEMA);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "exg-cli-"));

/** The bundled export with ex02 (unverified, no assessment) marked remediated on its VM and NIC, as a tampered state. */
function tamperedExport(name: string): string {
  const doc = JSON.parse(fs.readFileSync(path.join(ROOT, "examples/example.export.json"), "utf8"));
  for (const r of doc.deployment.resources) {
    if ((r.urn.endsWith("::ex02-g1") || r.urn.endsWith("::ex02-g1-nic")) && r.outputs?.tags) r.outputs.tags["remediation-state"] = "remediated";
  }
  const f = path.join(tmp, name);
  fs.writeFileSync(f, JSON.stringify(doc));
  return f;
}
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("exchange-guard check", () => {
  it("checks the bundled example by default and exits 0", async () => {
    const r = await run([], { fresh: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^HOST\s+STATE\s+NEWEST ASSESSMENT\s+INTERNET EXPOSURE\s+VERDICT/m);
    for (const h of ["ex01-g1", "ex02-g1", "ex03-g1", "ex04-g2", "ex05-g2"]) expect(r.stdout).toContain(h);
    expect(r.stdout).toMatch(/ex01-g1\s+verified\s+clean \(2026-11-20\)\s+load balancer \(TCP 25, 443\)\s+ok/);
    expect(r.stdout).toMatch(/ex03-g1\s+compromised\s+compromised \(2026-11-18\)\s+none\s+ok/);
    expect(r.stdout).toContain("0 mandatory and 0 advisory violation(s).");
    // Not a TTY here: no colour codes.
    expect(r.stdout).not.toContain("\u001b[");
  });

  it("exits 1 on a known-bad config and names host, path and fix; writes valid SARIF pointing at the host's line", async () => {
    const sarifFile = path.join(tmp, "bad.sarif");
    const r = await run([
      "check",
      "--stack",
      "bad-extra-client-port",
      "--stacks-dir",
      "test/fixtures/stacks",
      "--policy-pack-config",
      "test/fixtures/stacks/known-bad.policy-config.json",
      "--sarif",
      sarifFile,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/BLOCKED/);
    expect(r.stdout).toMatch(
      /exchange-verified-exposes-only-client-ports: verified host ex01-g1 is reachable from the internet beyond the client ports/,
    );
    expect(r.stdout).toMatch(/TCP 587/);
    const sarif = JSON.parse(fs.readFileSync(sarifFile, "utf8"));
    expect(validateSarif(sarif) ? [] : validateSarif.errors).toEqual([]);
    const result = sarif.runs[0].results[0];
    expect(result.ruleId).toBe("exchange-verified-exposes-only-client-ports");
    expect(result.level).toBe("error");
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe("test/fixtures/stacks/Pulumi.bad-extra-client-port.yaml");
    const lines = fs.readFileSync(path.join(ROOT, "test/fixtures/stacks/Pulumi.bad-extra-client-port.yaml"), "utf8").split("\n");
    expect(lines[result.locations[0].physicalLocation.region.startLine - 1]).toMatch(/name: ex01/);
    expect(sarif.runs[0].tool.driver.rules).toHaveLength(RULES.length);
  });

  it("prints JSON with --json", async () => {
    const r = await run(["check", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.hosts.map((h: { host: string }) => h.host).sort()).toEqual(["ex01-g1", "ex02-g1", "ex03-g1", "ex04-g2", "ex05-g2"]);
    expect(out.mandatory).toBe(0);
  });

  it("a stack with custom tag names and a pack configured the same way: every host is judged (no fail open)", async () => {
    const dir = path.join(tmp, "custom-tags");
    fs.mkdirSync(dir, { recursive: true });
    const gate = { hostTag: "role", hostTagValues: ["mail"], stateTag: "state" };
    const yaml = fs
      .readFileSync(path.join(ROOT, "stacks/Pulumi.example.yaml"), "utf8")
      .replace(
        "  exchange-guard:gate:\n",
        `  exchange-guard:recordsDir: ${path.join(ROOT, "stacks/records")}\n  exchange-guard:gate:\n    hostTag: role\n    hostTagValues: [mail]\n    stateTag: state\n`,
      );
    fs.writeFileSync(path.join(dir, "Pulumi.custom-tags.yaml"), yaml);
    const example = JSON.parse(fs.readFileSync(path.join(ROOT, "stacks/policy-config/example.json"), "utf8"));
    example["exchange-remediated-requires-assessment"] = { ...example["exchange-remediated-requires-assessment"], ...gate };
    const cfg = path.join(dir, "custom-tags.json");
    fs.writeFileSync(cfg, JSON.stringify(example));
    const r = await run(["check", "--stack", "custom-tags", "--stacks-dir", dir, "--policy-pack-config", cfg, "--json", "--quiet"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.hosts.map((h: { host: string }) => h.host).sort()).toEqual(["ex01-g1", "ex02-g1", "ex03-g1", "ex04-g2", "ex05-g2"]);
  });

  it("exits 2 with a clear message on an unknown stack or a refused config", async () => {
    const missing = await run(["check", "--stack", "nope"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no stack "nope": .*Pulumi\.nope\.yaml does not exist/);
    expect(missing.stderr).toMatch(/stacks in .*: example, incident-1-isolated, incident-2-compromised/);
    const typo = await run(["check", "--stack", "exampel"]);
    expect(typo.stderr).toMatch(/did you mean "example"\?/);
    fs.writeFileSync(
      path.join(tmp, "Pulumi.dup.yaml"),
      "config:\n  exchange-guard:resourceGroupName: rg\n  exchange-guard:hosts:\n    - {name: ex01, state: fixed}\n    - {name: ex01, state: unverified}\n",
    );
    const bad = await run(["check", "--stack", "dup", "--stacks-dir", tmp]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/state: "fixed" is not unverified, compromised or remediated/);
    expect(bad.stderr).toMatch(/duplicate host ex01/);
    expect(bad.stderr).toMatch(/network: missing/);
  });
});

describe("policy config mistakes are bad input (exit 2), naming the file, the policy and the key", () => {
  const cfg = (name: string, text: string) => {
    const f = path.join(tmp, name);
    fs.writeFileSync(f, text);
    return f;
  };

  it.each<[string, string, RegExp[]]>([
    [
      "unknown policy name",
      JSON.stringify({ "exchange-unverfied-isolated": { forensicsSourcePrefixes: ["10.20.3.0/24"] } }),
      [/"exchange-unverfied-isolated" is not a policy of this pack/, /did you mean "exchange-unverified-isolated"\?/],
    ],
    [
      "unknown key",
      JSON.stringify({ "exchange-remediated-requires-assessment": { maxAsessmentAgeDays: 14 } }),
      [/exchange-remediated-requires-assessment: maxAsessmentAgeDays is not a setting/, /did you mean "maxAssessmentAgeDays"\?/],
    ],
    [
      "gate key on the wrong policy",
      JSON.stringify({ "exchange-unverified-isolated": { hostTag: "role" } }),
      [/exchange-unverified-isolated: hostTag is a gate setting: set it once on exchange-remediated-requires-assessment/],
    ],
    ["empty file", "  \n", [/is empty/]],
  ])("%s", async (label, text, patterns) => {
    const f = cfg(`${label.replace(/\W+/g, "-")}.json`, text);
    for (const cmd of [["check"], ["audit", "examples/example.export.json"]]) {
      const r = await run([...cmd, "--policy-pack-config", f]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(f);
      for (const p of patterns) expect(r.stderr).toMatch(p);
      expect(r.stdout).toBe("");
    }
  });
});

describe("a well-made CLI", () => {
  it.each([
    [["help"]],
    [["--help"]],
    [["help", "audit"]],
    [["check", "--help"]],
    [["ingest", "--help"]],
    [["help", "host"]],
    [["host", "rebuild", "--help"]],
  ])("%p exits 0", async (args) => {
    const r = await run(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: exchange-guard/);
  });

  it("every command's help has examples", async () => {
    for (const cmd of ["check", "audit", "ingest", "host"])
      expect((await run([cmd, "--help"])).stdout).toMatch(/Examples[^\n]*:\n {2}exchange-guard /);
  });

  it("--version prints the package version", async () => {
    const r = await run(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
  });

  it("an unknown command says so and lists the commands", async () => {
    const r = await run(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'\. Commands: check, audit, ingest, host, help/);
  });

  it("not on a TTY, one progress line per phase on stderr; none with --quiet", async () => {
    const r = await run(["audit"]);
    expect(r.stderr).toMatch(
      /^exchange-guard: reading the stack export .*\nexchange-guard: starting the policy pack\nexchange-guard: analysing \d+ resources\nexchange-guard: analysing the stack\n$/,
    );
    expect((await run(["audit", "--quiet"])).stderr).toBe("");
  });

  it("on a TTY, a counter redrawn in place and a coloured report; JSON stays plain and silent", async () => {
    const r = await run(["audit"], { tty: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^(\ranalysing resources \d+\/\d+)+\n$/);
    expect(r.stderr).not.toContain("exchange-guard: reading");
    expect(r.stdout).toContain("\u001b[");
    const json = await run(["audit", "--json"], { tty: true });
    expect(json.stderr).toBe("");
    expect(json.stdout).not.toContain("\u001b[");
    expect(JSON.parse(json.stdout).mandatory).toBe(0);
  });
});

describe("exchange-guard audit", () => {
  it("audits the bundled export and exits 0", async () => {
    const r = await run(["audit"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/audit of .*example\.export\.json/);
    expect(r.stdout).toMatch(/ex05-g2\s+verified/);
  });

  it("exits 2 on a file that is not a stack export, and on a missing file", async () => {
    const f = path.join(tmp, "not-export.json");
    fs.writeFileSync(f, JSON.stringify({ hello: "world" }));
    const r = await run(["audit", f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a `pulumi stack export` file/);
    const m = await run(["audit", path.join(tmp, "missing.json")]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/cannot read/);
  });

  it("an export with no Exchange host (a mis-tagged fleet) exits 1 with a message, unless --allow-no-hosts", async () => {
    const doc = JSON.parse(fs.readFileSync(path.join(ROOT, "examples/example.export.json"), "utf8"));
    for (const r of doc.deployment.resources)
      for (const k of ["inputs", "outputs"])
        if (r[k]?.tags?.workload) {
          r[k].tags.role = r[k].tags.workload;
          delete r[k].tags.workload;
        }
    const f = path.join(tmp, "mistagged.json");
    fs.writeFileSync(f, JSON.stringify(doc));
    const r = await run(["audit", f, "--quiet"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no Exchange host found.*--allow-no-hosts/);
    expect((await run(["audit", f, "--quiet", "--allow-no-hosts"])).code).toBe(0);
  });

  it("SARIF of an audit points at the stack's Pulumi.<stack>.yaml in the repository, never at ../ or a missing file", async () => {
    const f = tamperedExport("tampered-sarif.json");
    const sarifFile = path.join(tmp, "audit.sarif");
    const r = await run(["audit", f, "--policy-pack-config", "stacks/policy-config/example.json", "--sarif", sarifFile, "--quiet"]);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(fs.readFileSync(sarifFile, "utf8"));
    expect(validateSarif(sarif) ? [] : validateSarif.errors).toEqual([]);
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
    for (const res of sarif.runs[0].results) {
      const uri = res.locations[0].physicalLocation.artifactLocation.uri;
      expect(uri).toBe("stacks/Pulumi.example.yaml");
      expect(fs.existsSync(path.join(ROOT, uri))).toBe(true);
    }
    expect(JSON.stringify(sarif)).not.toMatch(/helpUri|informationUri|github\.com\/exchange-compromise-guard/);
    // An export outside the repository with no stack config in it: refused, naming the flag to use.
    const outside = await run(["audit", f, "--stacks-dir", tmp, "--sarif", path.join(tmp, "x.sarif"), "--quiet"]);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/--sarif .*not inside the repository root.*--sarif-root/);
  });

  it("exits 1 when the export shows a host published without a verified assessment", async () => {
    const f = tamperedExport("tampered.json");
    const r = await run(["audit", f, "--policy-pack-config", "stacks/policy-config/example.json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/exchange-remediated-requires-assessment: host ex02-g1 is marked remediated but no compromise assessment/);
  });
});

describe("exchange-guard ingest", () => {
  it("writes a record from real tool output", async () => {
    const out = path.join(tmp, "rec.json");
    const r = await run([
      "ingest",
      "--host",
      "exch01",
      "--from",
      "test/fixtures/ingest/webshell-msert",
      "--build",
      "15.2.1748.53",
      "--generation",
      "2",
      "--out",
      out,
    ]);
    expect(r.code).toBe(0);
    const rec = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(rec).toMatchObject({
      host: "exch01",
      generation: 2,
      additionalData: { assessmentKind: "exchange-compromise", verdict: "compromised", exchangeBuild: "15.2.1748.53" },
    });
  });

  it("exits 2 and never writes a record when MSERT output is missing", async () => {
    const out = path.join(tmp, "none.json");
    const r = await run(["ingest", "--host", "exch01", "--from", "test/fixtures/ingest/no-msert", "--build", "15.2.1748.53", "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no msert\.log/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it("exits 2 and writes nothing for another host's reports, saying whose they are", async () => {
    const out = path.join(tmp, "ex99.json");
    const r = await run([
      "ingest",
      "--host",
      "ex99",
      "--from",
      "test/fixtures/ingest/clean-ps51",
      "--build",
      "15.2.792.10",
      "--generation",
      "1",
      "--out",
      out,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/reports are of server EXCH01/);
    expect(r.stderr).toMatch(/ex99/);
    expect(fs.existsSync(out)).toBe(false);
    const mixed = await run(["ingest", "--host", "exch01", "--from", "test/fixtures/ingest/multi-computer", "--build", "15.2.792.10"]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/reports of 2 servers in one folder/);
  });

  it("dates the record from msert.log, not from the files' copy time", async () => {
    const r = await run([
      "ingest",
      "--host",
      "exch01",
      "--from",
      "test/fixtures/ingest/clean-ps51",
      "--build",
      "15.2.792.10",
      "--utc-offset",
      "+02:00",
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).additionalData.completedAt).toBe("2021-04-09T13:02:11Z");
  });

  it("never overwrites an existing file with --out, and says which flag", async () => {
    const out = path.join(tmp, "existing.json");
    fs.writeFileSync(out, "keep me\n");
    const r = await run(["ingest", "--host", "exch01", "--from", "test/fixtures/ingest/webshell-msert", "--build", "15.2.792.10", "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out .*existing\.json: the file exists/);
    expect(fs.readFileSync(out, "utf8")).toBe("keep me\n");
    const dir = await run([
      "ingest",
      "--host",
      "exch01",
      "--from",
      "test/fixtures/ingest/webshell-msert",
      "--build",
      "15.2.792.10",
      "--out",
      path.join(tmp, "no/such/dir.json"),
    ]);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toMatch(/--out .*cannot write/);
  });

  it("rejects a bad generation and missing options", async () => {
    expect((await run(["ingest", "--host", "x", "--from", "test/fixtures/ingest/clean-ps7", "--build", "15.2.1.1", "--generation", "0"])).code).toBe(
      2,
    );
    expect((await run(["ingest", "--from", "x"])).code).toBe(2);
  });
});
