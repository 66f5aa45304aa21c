import * as path from "path";
import { findProjectRoot } from "../stacks/config/stackFile";

/** The project the CLI ships in (from sources or from dist/): its pack, its example export and config. */
export const ROOT = findProjectRoot();
/** The policy pack every command judges with: the project's own, as `pulumi preview --policy-pack policies` runs it. */
export const PACK_DIR = path.join(ROOT, "policies");
export const EXAMPLE_EXPORT = path.join(ROOT, "examples", "example.export.json");
export const EXAMPLE_POLICY_CONFIG = path.join(ROOT, "stacks", "policy-config", "example.json");
