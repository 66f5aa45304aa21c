// The Pulumi entry point (Pulumi.yaml `main`): the engine awaits the exported promise, whose value becomes the stack's
// outputs. `exchange-guard check` runs the same runProgram with the stack config encoded as the CLI encodes it.
import { runProgram } from "./program";

module.exports = runProgram();
