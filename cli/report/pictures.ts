import * as fs from "fs";
import { InputError } from "../errors";
import { Report } from "./hostRows";
import { hostStories, redactor } from "./hostStory";
import { renderPage } from "./html";
import { renderSummary } from "./summary";

function write(flag: string, file: string, text: string): void {
  try {
    fs.writeFileSync(file, text);
  } catch (e) {
    throw new InputError(`${flag} ${file}: cannot write: ${(e as Error).message}`);
  }
}

/** `--html` and `--summary`: the page with each host's picture, the Markdown job summary; `only` narrows to some hosts. */
export async function writePictures(
  title: string,
  report: Report,
  opts: { html?: string; summary?: string },
  only?: ReadonlySet<string>,
): Promise<void> {
  if (!opts.html && !opts.summary) return;
  const r = redactor(report.secrets);
  const stories = hostStories(report, only);
  const input = { title, mandatory: report.mandatory, advisory: report.advisory, stories, other: only ? [] : report.other };
  if (opts.html) write("--html", opts.html, await renderPage(input, r));
  if (opts.summary) write("--summary", opts.summary, renderSummary(input, r));
}
