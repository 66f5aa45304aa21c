import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parseFleetConfig, planFleet } from "./config/fleetConfig";
import { deployFleet } from "./fleet";

/** Assessment records live next to the stack configs: stacks/records/<file>. */
export const RECORDS_DIR = path.join(__dirname, "records");

/** Reads the `exchange-guard:*` stack config into one object (each top-level key is a config key). */
export function rawStackConfig(cfg = new pulumi.Config("exchange-guard")): Record<string, unknown> {
  const keys = [
    "resourceGroupName",
    "location",
    "network",
    "bastion",
    "forensicsSourcePrefixes",
    "forensicsDestinationPrefixes",
    "managementPorts",
    "publishing",
    "image",
    "adminUsername",
    "assessmentMetadataGuid",
    "gate",
    "hosts",
  ];
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = cfg.getObject<unknown>(k);
    if (v !== undefined) out[k] = v;
  }
  out.location ??= new pulumi.Config("azure-native").get("location");
  return out;
}

export async function main(): Promise<unknown> {
  const config = parseFleetConfig(rawStackConfig());
  const plan = planFleet(config, (f) => fs.readFileSync(path.join(RECORDS_DIR, f), "utf8"), new Date());
  return deployFleet(config, plan, pulumi.getStack());
}

module.exports = main();
