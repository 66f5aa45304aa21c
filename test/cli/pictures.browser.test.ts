/**
 * The `--html` page in a real browser: Debian's Chromium, headless (installed by .ci/run when missing). The page itself
 * is opened as written (its Content-Security-Policy forbids every fetch and script) and must log no console error; a
 * copy with a measuring script added reports each picture's rendered size.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runInProcess as run } from "./runCli";

jest.setTimeout(120000);

const CHROMIUM = "/usr/bin/chromium";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "exg-browser-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function chromium(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const profile = fs.mkdtempSync(path.join(tmp, "profile-"));
  return new Promise((resolve, reject) =>
    execFile(
      CHROMIUM,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        `--user-data-dir=${profile}`,
        "--enable-logging=stderr",
        "--v=0",
        ...args,
      ],
      { timeout: 60000, maxBuffer: 32 * 1024 * 1024 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve({ stdout, stderr })),
    ),
  );
}

describe("the --html page in headless Chromium", () => {
  let page = "";
  beforeAll(async () => {
    page = path.join(tmp, "explain.html");
    const r = await run(["explain", "ex02", "--stack", "incident-2-compromised", "--html", page, "-q"]);
    expect(r.code).toBe(0);
  });

  it("is on this machine", () => {
    expect(fs.existsSync(CHROMIUM)).toBe(true);
  });

  it("renders with no console error and nothing refused, and its picture has a real size", async () => {
    const shot = path.join(tmp, "explain.png");
    const { stderr } = await chromium(["--window-size=1300,1000", `--screenshot=${shot}`, `file://${page}`]);
    expect(stderr.split("\n").filter((l) => /CONSOLE|Refused to|Uncaught/.test(l))).toEqual([]);
    expect(fs.statSync(shot).size).toBeGreaterThan(10000);

    // The same markup with a script that measures it (the page's own policy forbids scripts, so this copy drops it).
    const html = fs.readFileSync(page, "utf8").replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, "");
    const probe = `<script>addEventListener("load",()=>{const r=[...document.querySelectorAll("section.host svg")].map(s=>{const b=s.getBoundingClientRect();return {w:b.width,h:b.height,nodes:s.querySelectorAll("g.node").length,edges:s.querySelectorAll("g.edge").length}});const p=document.createElement("pre");p.id="measured";p.textContent=JSON.stringify(r);document.body.appendChild(p)})</script>`;
    const measured = path.join(tmp, "measured.html");
    fs.writeFileSync(measured, html.replace("</body>", `${probe}</body>`));
    const { stdout } = await chromium(["--dump-dom", "--virtual-time-budget=3000", `file://${measured}`]);
    const m = /<pre id="measured">([^<]*)<\/pre>/.exec(stdout);
    expect(m).not.toBeNull();
    const sizes = JSON.parse(m![1].replace(/&quot;/g, '"')) as Array<{ w: number; h: number; nodes: number; edges: number }>;
    expect(sizes).toHaveLength(1);
    expect(sizes[0].w).toBeGreaterThan(200);
    expect(sizes[0].h).toBeGreaterThan(50);
    expect(sizes[0].nodes).toBeGreaterThanOrEqual(5);
    expect(sizes[0].edges).toBeGreaterThanOrEqual(4);
  });
});
