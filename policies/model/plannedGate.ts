/**
 * "Verified" for a host that is still a stack config: the gate the pack runs (`judgeHosts`), asked about the VM the
 * stacks will register for the host and the records of its generation. The stacks' plan (which host goes into the
 * published subnet) and the `host` commands judge through here, so they cannot drift from the pack.
 */
import { AssessmentLink, AssessmentView } from "./assessments";
import { GateConfig, HostGate, judgeHosts } from "./gate";
import { ResourceGraph, ResourceInput } from "./graph";
import { Host, HostState } from "./hosts";

export interface PlannedGateHost {
  /** The host's name in the stack config: findings name it. */
  readonly name: string;
  readonly state: HostState;
  /** The VM resource the stacks register for this host generation; the gate reads its OS disk from it. */
  readonly vm: ResourceInput;
  /** The records of the host's current generation, each as the pack reads the assessment made of it. */
  readonly assessments: readonly AssessmentView[];
}

/** The gate's verdict on each planned host, by host name. */
export function judgePlannedHosts(planned: readonly PlannedGateHost[], cfg: GateConfig, now: Date): Map<string, HostGate> {
  const graph = new ResourceGraph(planned.map((p) => p.vm));
  const hosts: Host[] = [];
  const links = new Map<string, AssessmentLink[]>();
  for (const p of planned) {
    const vm = graph.node(p.vm.urn)!;
    // A record is the host's by the stack config that lists it: a certain link, as the VM's id is to the pack.
    links.set(vm.urn, [...p.assessments.map((assessment) => ({ assessment, certain: true, how: "by the stack config" }))]);
    hosts.push({
      vm,
      name: p.name,
      urn: vm.urn,
      state: p.state,
      stateUnknown: false,
      nics: [],
      ipConfigs: [],
      problems: [],
      identities: new Set([vm.urn]),
    });
  }
  const byUrn = judgeHosts(graph, hosts, links, cfg, now);
  return new Map(hosts.map((h) => [h.name, byUrn.get(h.urn)!]));
}
