/**
 * `--where` for the commands that act on many hosts at once: `state=<state>` and `build-older-than=<wave>` (hosts whose
 * newest record of their generation states a build without that security-update wave), all of them holding.
 */
import { HostState, includesWave, isKnownWave, WAVES } from "../../policies/model";
import { PlannedHost } from "../../stacks/config/fleetConfig";
import { InputError } from "../errors";

export type Criterion = { readonly kind: "state"; readonly state: HostState } | { readonly kind: "build-older-than"; readonly wave: string };

const STATES: readonly HostState[] = ["unverified", "compromised", "remediated"];

export function parseWhere(terms: readonly string[]): Criterion[] {
  return terms.map((t) => {
    const m = /^([a-z-]+)=(.+)$/.exec(t.trim());
    if (m?.[1] === "state") {
      if (!STATES.includes(m[2] as HostState)) throw new InputError(`--where ${t}: state is one of ${STATES.join(", ")}`);
      return { kind: "state", state: m[2] as HostState };
    }
    if (m?.[1] === "build-older-than") {
      if (!isKnownWave(m[2])) throw new InputError(`--where ${t}: ${m[2]} is not a security-update wave this pack knows (${WAVES.join(", ")})`);
      return { kind: "build-older-than", wave: m[2] };
    }
    throw new InputError(`--where ${t}: give state=<${STATES.join("|")}> or build-older-than=<wave, e.g. ${WAVES[WAVES.length - 1]}>`);
  });
}

export interface Selection {
  readonly selected: readonly PlannedHost[];
  /** Hosts a criterion could not be decided for, and why (never selected silently, never dropped silently). */
  readonly undecided: readonly string[];
}

/** `state=compromised` also takes a host marked otherwise whose generation has a compromised record: the program treats it so. */
function effectiveState(p: PlannedHost): HostState {
  return p.compromisedNow ? "compromised" : p.spec.state;
}

export function select(planned: readonly PlannedHost[], criteria: readonly Criterion[]): Selection {
  const selected: PlannedHost[] = [];
  const undecided: string[] = [];
  for (const p of planned) {
    let match = true;
    for (const c of criteria) {
      if (c.kind === "state") match &&= effectiveState(p) === c.state;
      else if (match) {
        const build = p.current?.view.exchangeBuild;
        if (build === undefined) {
          undecided.push(
            `${p.spec.name}: no record of generation ${p.spec.generation} states its build, so build-older-than=${c.wave} cannot be decided`,
          );
          match = false;
        } else match = !includesWave(build, c.wave).patched;
      }
    }
    if (match) selected.push(p);
  }
  return { selected, undecided };
}
