import * as fs from "fs";
import * as path from "path";
import { runOfflineStack } from "../cli/preview/offlineStack";
import { specialSigKey as SIG_KEY } from "@pulumi/pulumi/runtime/rpc";
import { findProjectRoot } from "../stacks/config/stackFile";

/** Secrets as `pulumi stack export` writes them without --show-secrets: the value is only a ciphertext. */
function encrypt(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(encrypt);
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    if (SIG_KEY in o)
      return {
        [SIG_KEY]: o[SIG_KEY],
        ciphertext: `v1:${Buffer.from(JSON.stringify(o.value ?? null))
          .toString("base64")
          .replace(/[A-Za-z]/g, "x")}`,
      };
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, encrypt(x)]));
  }
  return v;
}

/**
 * Writes examples/<stack>.export.json: the bundled stack deployed (under the mock runtime, ids and
 * computed outputs filled in) as `pulumi stack export` would show it, for `exchange-guard audit`.
 */
async function main(): Promise<void> {
  const stack = process.argv[2] ?? "example";
  const offline = await runOfflineStack(stack, { preview: false });
  const root = `urn:pulumi:${stack}::${offline.project}::pulumi:pulumi:Stack::${offline.project}-${stack}`;
  const resources = [
    { urn: root, custom: false, type: "pulumi:pulumi:Stack", outputs: {} },
    ...offline.registrations.map((r) => ({
      urn: r.urn,
      custom: r.custom,
      ...(r.custom && r.id ? { id: r.id } : {}),
      type: r.type,
      inputs: encrypt(r.inputs),
      outputs: encrypt({ ...r.outputs, ...(r.custom && r.id ? { id: r.id } : {}) }),
      parent: r.parent || root,
      dependencies: r.dependencies,
      propertyDependencies: r.propertyDependencies,
    })),
  ];
  const doc = {
    version: 3,
    deployment: {
      manifest: { time: "2026-11-26T12:00:00Z", magic: "", version: "v3.248.0" },
      secrets_providers: { type: "passphrase", state: { salt: "v1:offline-example" } },
      resources,
    },
  };
  const out = path.join(findProjectRoot(), "examples", `${stack}.export.json`);
  fs.writeFileSync(out, JSON.stringify(doc, null, 2) + "\n");
  process.stdout.write(`wrote ${out} (${resources.length} resources)\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
