import * as path from "path";

/** A path as a user reads it: relative to the working folder when inside it, else absolute. */
export function shown(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel === "" ? p : rel.startsWith("..") || path.isAbsolute(rel) ? path.resolve(p) : rel;
}
