import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parseFleetConfig, planFleet } from "./config/fleetConfig";
import { decodeProgramConfig, NAMESPACE } from "./config/programConfig";
import { findProjectRoot, STACKS_DIR } from "./config/stackFile";
import { deployFleet, FleetOutputs } from "./fleet";

/** Where a stack's assessment records are: `exchange-guard:recordsDir` (relative to the project root), else records/ beside the stack configs. */
export function recordsDirOf(raw: Record<string, unknown>, root = findProjectRoot()): string {
  return typeof raw.recordsDir === "string" && raw.recordsDir !== "" ? path.resolve(root, raw.recordsDir) : path.join(STACKS_DIR, "records");
}

/**
 * The whole program, as the engine runs it: read the stack config the engine passed, refuse bad config and histories
 * before anything is registered, then deploy the fleet. `stacks/index.ts` exports its promise and nothing else.
 */
export async function runProgram(): Promise<FleetOutputs> {
  const cfg = new pulumi.Config(NAMESPACE);
  const raw = decodeProgramConfig((k) => cfg.get(k), new pulumi.Config("azure-native").get("location"));
  const config = parseFleetConfig(raw);
  const records = recordsDirOf(raw);
  const plan = planFleet(config, (f) => fs.readFileSync(path.join(records, f), "utf8"), new Date());
  return deployFleet(config, plan, pulumi.getStack());
}
