/**
 * Just enough of ARM template expressions (`[concat(variables('vmName'), copyIndex())]`) to read the names and tags a
 * template gives its VMs: string and number literals, `parameters()`, `variables()`, `concat()`, `toLower()`,
 * `toUpper()`, `resourceGroup().name` and property access. Anything else is unknown: `value` is then undefined and
 * `text` shows the unknown part as written, in braces (`vmrg-exchange{copyIndex()}`), for messages only.
 */
export interface Evaluated {
  /** The value when every part of the expression is known. */
  readonly value: unknown;
  readonly known: boolean;
  /** The value as text for messages, unknown parts shown as written. */
  readonly text: string;
}

export interface TemplateScope {
  readonly parameters: (name: string) => unknown;
  readonly variables: (name: string) => unknown;
  readonly resourceGroup: string | undefined;
}

const unknown = (text: string): Evaluated => ({ value: undefined, known: false, text: `{${text}}` });
const known = (value: unknown): Evaluated => ({ value, known: true, text: typeof value === "string" ? value : (JSON.stringify(value) ?? "") });

type Node =
  | { readonly kind: "lit"; readonly value: string | number }
  | { readonly kind: "call"; readonly fn: string; readonly args: readonly Node[]; readonly src: string }
  | { readonly kind: "prop"; readonly of: Node; readonly key: Node; readonly src: string };

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  parseAll(): Node | undefined {
    const n = this.expr();
    this.ws();
    return n !== undefined && this.i === this.s.length ? n : undefined;
  }

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  private expr(): Node | undefined {
    this.ws();
    const start = this.i;
    let node = this.primary();
    if (node === undefined) return undefined;
    for (;;) {
      this.ws();
      const c = this.s[this.i];
      if (c === ".") {
        this.i++;
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i));
        if (!m) return undefined;
        this.i += m[0].length;
        node = { kind: "prop", of: node, key: { kind: "lit", value: m[0] }, src: this.s.slice(start, this.i) };
      } else if (c === "[") {
        this.i++;
        const key = this.expr();
        this.ws();
        if (key === undefined || this.s[this.i] !== "]") return undefined;
        this.i++;
        node = { kind: "prop", of: node, key, src: this.s.slice(start, this.i) };
      } else return node;
    }
  }

  private primary(): Node | undefined {
    const rest = this.s.slice(this.i);
    if (rest.startsWith("'")) {
      let out = "";
      let k = this.i + 1;
      for (;;) {
        if (k >= this.s.length) return undefined;
        if (this.s[k] === "'") {
          if (this.s[k + 1] === "'") {
            out += "'";
            k += 2;
            continue;
          }
          break;
        }
        out += this.s[k++];
      }
      this.i = k + 1;
      return { kind: "lit", value: out };
    }
    const num = /^-?\d+/.exec(rest);
    if (num) {
      this.i += num[0].length;
      return { kind: "lit", value: Number(num[0]) };
    }
    const id = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest);
    if (!id) return undefined;
    const start = this.i;
    this.i += id[0].length;
    this.ws();
    if (this.s[this.i] !== "(") return undefined;
    this.i++;
    const args: Node[] = [];
    this.ws();
    if (this.s[this.i] === ")") this.i++;
    else {
      for (;;) {
        const a = this.expr();
        if (a === undefined) return undefined;
        args.push(a);
        this.ws();
        const c = this.s[this.i++];
        if (c === ")") break;
        if (c !== ",") return undefined;
      }
    }
    return { kind: "call", fn: id[0].toLowerCase(), args, src: this.s.slice(start, this.i) };
  }
}

function isExpression(s: string): boolean {
  const t = s.trim();
  return t.startsWith("[") && !t.startsWith("[[") && t.endsWith("]");
}

const MAX_DEPTH = 16;

/**
 * A template value (a string that may be an expression, or an object or array holding some) as far as it can be
 * known. Strings starting `[[` are literals that start with `[`, as ARM reads them.
 */
export function evaluate(v: unknown, scope: TemplateScope, depth = 0): Evaluated {
  if (depth > MAX_DEPTH) return unknown("…");
  if (typeof v === "string") {
    if (!isExpression(v)) return known(v.trim().startsWith("[[") ? v.replace("[[", "[") : v);
    const inner = v.trim().slice(1, -1);
    const node = new Parser(inner).parseAll();
    return node === undefined ? unknown(inner) : evalNode(node, scope, depth);
  }
  if (Array.isArray(v)) {
    const items = v.map((x) => evaluate(x, scope, depth + 1));
    return {
      value: items.every((x) => x.known) ? items.map((x) => x.value) : undefined,
      known: items.every((x) => x.known),
      text: JSON.stringify(v),
    };
  }
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    let all = true;
    for (const [k, x] of Object.entries(v)) {
      const e = evaluate(x, scope, depth + 1);
      all &&= e.known;
      out[k] = e.known ? e.value : undefined;
    }
    return { value: all ? out : undefined, known: all, text: JSON.stringify(v) };
  }
  return known(v);
}

/** Each value of an object (tags), evaluated on its own: an object whose own shape is an expression yields undefined. */
export function evaluateEntries(v: unknown, scope: TemplateScope): Map<string, Evaluated> | undefined {
  const whole = typeof v === "string" ? evaluate(v, scope) : undefined;
  const obj = whole ? whole.value : v;
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return undefined;
  return new Map(Object.entries(obj).map(([k, x]) => [k, evaluate(x, scope)] as const));
}

function evalNode(n: Node, scope: TemplateScope, depth: number): Evaluated {
  if (n.kind === "lit") return known(n.value);
  if (n.kind === "prop") {
    const of = evalNode(n.of, scope, depth);
    const key = evalNode(n.key, scope, depth);
    if (!of.known || !key.known || typeof of.value !== "object" || of.value === null) return unknown(n.src);
    const k = String(key.value);
    const hit = Object.entries(of.value).find(([x]) => x.toLowerCase() === k.toLowerCase());
    return hit ? evaluate(hit[1], scope, depth + 1) : unknown(n.src);
  }
  const args = n.args.map((a) => evalNode(a, scope, depth));
  const str = (i: number) =>
    args[i]?.known && (typeof args[i].value === "string" || typeof args[i].value === "number") ? String(args[i].value) : undefined;
  switch (n.fn) {
    case "parameters":
    case "variables": {
      const name = str(0);
      if (name === undefined) return unknown(n.src);
      const raw = n.fn === "parameters" ? scope.parameters(name) : scope.variables(name);
      if (raw === undefined) return unknown(n.src);
      return evaluate(raw, scope, depth + 1);
    }
    case "concat": {
      if (args.every((a) => a.known && (typeof a.value === "string" || typeof a.value === "number")))
        return known(args.map((a) => String(a.value)).join(""));
      if (args.some((a) => a.known && (typeof a.value === "object" || typeof a.value === "boolean"))) return unknown(n.src);
      return { value: undefined, known: false, text: args.map((a) => a.text).join("") };
    }
    case "tolower":
    case "toupper": {
      const a = args[0];
      if (a === undefined) return unknown(n.src);
      if (!a.known) return { value: undefined, known: false, text: a.text };
      const s = str(0);
      return s === undefined ? unknown(n.src) : known(n.fn === "tolower" ? s.toLowerCase() : s.toUpperCase());
    }
    case "resourcegroup":
      return scope.resourceGroup === undefined ? unknown(n.src) : known({ name: scope.resourceGroup });
    default:
      return unknown(n.src);
  }
}
