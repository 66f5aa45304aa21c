/**
 * The pictures `--html` and `--summary` write: the SVG read back as a document (each hop a node, each edge after the NIC
 * labelled with its rule and ports, open and closed apart), the Mermaid text read by Mermaid's own parser
 * (test/support/mermaidParse.mjs), and no secret in any of them.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { JSDOM } from "jsdom";
import { buildReport } from "../../cli/report/hostRows";
import { writePictures } from "../../cli/report/pictures";
import { mermaidText } from "../../cli/report/mermaid";
import { dotString } from "../../cli/report/graphRender";
import { Estate, rule, secret } from "../support/estate";
import { MARKER_RE, sentSecrets, shows } from "../support/arbitraries";
import { baseNet, exHost, hostNic } from "../support/networks";
import { ROOT, runInProcess as run } from "./runCli";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "exg-pictures-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const BAD = ["--stacks-dir", "test/fixtures/stacks", "--policy-pack-config", "test/fixtures/stacks/known-bad.policy-config.json", "-q"];

interface Parsed {
  ok: boolean;
  error?: string;
  type?: string;
  vertices: Array<{ id: string; text: string; type: string }>;
  edges: Array<{ start: string; end: string; text: string; stroke: string; type: string }>;
}

/** Mermaid's parser keeps entities as placeholders until it renders; decode them to compare texts. */
const decode = (s: string) => s.replace(/ﬂ°°(\d+)¶ß/g, (_m, n: string) => String.fromCodePoint(Number(n))).replace(/ﬂ°(\w+)¶ß/g, "&$1;");

function parseMermaid(texts: string[]): Parsed[] {
  const out = execFileSync(process.execPath, [path.join(ROOT, "test/support/mermaidParse.mjs")], { input: JSON.stringify(texts), cwd: ROOT });
  return JSON.parse(out.toString()) as Parsed[];
}

function mermaidBlocks(md: string): string[] {
  return [...md.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]);
}

function svgOf(html: string): { doc: Document; svgs: SVGSVGElement[] } {
  const doc = new JSDOM(html).window.document;
  return { doc, svgs: [...doc.querySelectorAll("section.host svg")] as SVGSVGElement[] };
}

const texts = (g: Element) => [...g.querySelectorAll("text")].map((t) => t.textContent ?? "").join(" ");

describe("--html: the SVG of each host", () => {
  let html = "";
  let md = "";
  beforeAll(async () => {
    const htmlFile = path.join(tmp, "extra.html");
    const mdFile = path.join(tmp, "extra.md");
    const r = await run(["check", "--stack", "bad-extra-client-port", ...BAD, "--html", htmlFile, "--summary", mdFile]);
    expect(r.code).toBe(1);
    html = fs.readFileSync(htmlFile, "utf8");
    md = fs.readFileSync(mdFile, "utf8");
  });

  it("is one standalone page: nothing to fetch, no script", () => {
    const { doc } = svgOf(html);
    expect(doc.querySelectorAll("script, link, img[src], iframe, object").length).toBe(0);
    expect(html).not.toMatch(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
  });

  it("draws every hop of every path as a node, and the host", () => {
    const { svgs } = svgOf(html);
    expect(svgs).toHaveLength(1);
    const nodes = [...svgs[0].querySelectorAll("g.node")].map(texts);
    for (const name of [
      "Internet",
      "exg-bad-extra-client-frontend-pip",
      "exg-bad-extra-client-lb",
      "load-balancing rule tcp-587",
      "ex01-g1-nic/ipconfig1",
      "exg-bad-extra-client-published-nsg",
      "ex01-g1-nsg",
      "ex01-g1",
    ])
      expect(nodes.some((n) => n.includes(name))).toBe(true);
  });

  it("labels each edge past the NIC with its rule (and priority) and its ports; open and closed edges are apart", () => {
    const { svgs } = svgOf(html);
    const edges = [...svgs[0].querySelectorAll("g.edge")];
    const open = edges.filter((e) => e.classList.contains("edge-open"));
    const closed = edges.filter((e) => e.classList.contains("edge-closed"));
    expect(open.length).toBeGreaterThan(0);
    expect(open.length + closed.length + edges.filter((e) => e.classList.contains("edge-undecidable")).length).toBe(edges.length);
    // The path the violation is about: the NIC NSG's rule for 587 reaches the host.
    expect(open.map(texts).some((t) => /allow-clients-587-tcp \(102\) allows TCP 587/.test(t))).toBe(true);
    // Line style tells them apart without colour: open solid, closed dashed.
    for (const e of open) expect(e.querySelector("path")?.getAttribute("stroke-dasharray")).toBeNull();
    for (const e of closed) expect(e.querySelector("path")?.getAttribute("stroke-dasharray")).not.toBeNull();
    // Every edge that ends at the host says which rule decides and for which ports.
    const hostTitle = [...svgs[0].querySelectorAll("g.node")].find((n) => texts(n).includes("ex01-g1\n") || texts(n).startsWith("ex01-g1 "))!;
    const hostId = hostTitle.querySelector("title")!.textContent!;
    const intoHost = edges.filter((e) => e.querySelector("title")!.textContent!.endsWith(`->${hostId}`));
    expect(intoHost.length).toBeGreaterThan(0);
    for (const e of intoHost) expect(texts(e)).toMatch(/\(\d+|\?\)|no (subnet|NIC) NSG/);
    for (const e of intoHost) expect(texts(e)).toMatch(/TCP|UDP|any protocol|withheld/);
  });

  it("has the hosts table and the violations beside the pictures", () => {
    const { doc } = svgOf(html);
    expect([...doc.querySelectorAll("table tbody tr")].map((tr) => tr.textContent)).toEqual([expect.stringContaining("ex01-g1")]);
    expect(doc.querySelector("section.host")!.textContent).toContain("exchange-verified-exposes-only-client-ports");
  });

  it("--summary: a Mermaid flowchart of the violation's path that Mermaid's parser reads, hop by hop", () => {
    expect(md).toMatch(/^## ❌ /);
    expect(md).toContain("| ex01-g1 | remediated |");
    const blocks = mermaidBlocks(md);
    expect(blocks).toHaveLength(1);
    const [parsed] = parseMermaid(blocks);
    expect(parsed.ok).toBe(true);
    expect(parsed.type).toBe("flowchart-v2");
    const labels = parsed.vertices.map((v) => decode(v.text));
    for (const name of ["exg-bad-extra-client-frontend-pip", "load-balancing rule tcp-587", "ex01-g1-nic/ipconfig1", "ex01-g1-nsg"])
      expect(labels.some((l) => l.includes(name))).toBe(true);
    const intoHost = parsed.edges.filter((e) => decode(parsed.vertices.find((v) => v.id === e.end)!.text).startsWith("ex01-g1<br>"));
    expect(intoHost.map((e) => [decode(e.text), e.stroke, e.type])).toEqual([["allow-clients-587-tcp (102) allows TCP 587", "thick", "arrow_point"]]);
  });
});

describe("Mermaid and DOT text stay text", () => {
  const hostile = ['a"]; click n0 call alert(1) %%', "x --> y", "```", "<b>&amp;</b>", "#quot; |pipe| {curly} [sq]", "back\\slash \n newline"];

  it("Mermaid reads every hostile label back as it was written", () => {
    const chart = [
      "flowchart LR",
      ...hostile.map((h, i) => `  n${i}["${mermaidText(h)}"]`),
      ...hostile.slice(1).map((h, i) => `  n${i} -.-x|"${mermaidText(h)}"| n${i + 1}`),
    ].join("\n");
    const [p] = parseMermaid([chart]);
    expect(p.ok).toBe(true);
    expect(p.vertices.map((v) => decode(v.text))).toEqual(hostile);
    expect(p.edges.map((e) => decode(e.text))).toEqual(hostile.slice(1));
  });

  it("a DOT string cannot close its quote or start an escape", () => {
    expect(dotString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
  });
});

describe("no secret in any picture", () => {
  it("names, rule sources and addresses sent as secrets appear in no output", async () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const pip = e.publicIp("pip-sxq1w2e3r4t5", "Standard", { publicIpAddressName: secret("pip-sxq1w2e3r4t5") });
    const nsg = e.nsg("nsg-ex01", [
      rule({ name: "allow-sxa9s8d7f6", priority: 100, source: secret("52.10.20.30/32"), port: "443", protocol: "Tcp" }),
      rule({ name: "allow-https", priority: 110, source: "Internet", port: "443", protocol: "Tcp" }),
    ]);
    exHost(e, { nics: [hostNic(e, sub, { publicIp: pip, nsg })] });
    // A rule name as a secret too.
    (nsg.properties.securityRules as Array<Record<string, unknown>>)[0].name = secret("allow-sxa9s8d7f6");
    const secrets = sentSecrets(e.resources);
    expect(secrets.length).toBeGreaterThan(2);
    const report = buildReport(e.resources, {}, []);
    const html = path.join(tmp, "secret.html");
    const md = path.join(tmp, "secret.md");
    await writePictures("secret test", report, { html, summary: md });
    const outputs = [fs.readFileSync(html, "utf8"), fs.readFileSync(md, "utf8")];
    // The paths are drawn (the picture is not empty), yet no secret shows.
    expect(outputs[0]).toContain("nsg-ex01");
    for (const out of outputs) {
      expect(out).not.toMatch(MARKER_RE);
      for (const s of secrets) expect(shows(out, s)).toBe(false);
    }
  });
});
