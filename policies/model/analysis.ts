import { linkAssessments } from "./assessments";
import { ExposureAnalysis } from "./exposure";
import { FlowCalculator } from "./exposure/flowCalculator";
import { adminDenyRules, alwaysAllowRules } from "./exposure/networkManager";
import { GateConfig, HostGate, judgeHosts } from "./gate";
import { ResourceGraph, ResourceInput } from "./graph";
import { Host, HostInventory } from "./hosts";
import { NetworkModel } from "./network";
import { NsgEvaluator } from "./nsgEvaluator";

/**
 * Everything the stack policies share, built once per AnalyzeStack call: the resource
 * graph, the NSG model, the host inventory, the gate's verdict per host and the exposure
 * paths. Each policy only selects and words its part. The flows, the paths and the gate are
 * made when first asked for: a question about the gate alone (admission's reading of a host)
 * never walks the network.
 */
export class StackAnalysis {
  readonly graph: ResourceGraph;
  readonly network: NetworkModel;
  readonly inventory: HostInventory;
  readonly evaluator = new NsgEvaluator();
  private flowsMade?: FlowCalculator;
  private exposureMade?: ExposureAnalysis;
  private gatesMade?: ReadonlyMap<string, HostGate>;

  constructor(
    resources: readonly ResourceInput[],
    readonly gate: GateConfig,
    readonly now: Date,
    /** Plaintexts of values sent as secrets: messages never spell out what is computed from them. */
    readonly secrets: ReadonlySet<string> = new Set(),
  ) {
    this.graph = new ResourceGraph(resources);
    this.network = new NetworkModel(this.graph);
    this.inventory = new HostInventory(this.graph, this.network, gate);
  }

  get flows(): FlowCalculator {
    return (this.flowsMade ??= new FlowCalculator(
      this.graph,
      this.network,
      this.evaluator,
      alwaysAllowRules(this.graph),
      adminDenyRules(this.graph),
    ));
  }

  get exposure(): ExposureAnalysis {
    return (this.exposureMade ??= new ExposureAnalysis(this.graph, this.network, this.inventory, this.flows));
  }

  get gates(): ReadonlyMap<string, HostGate> {
    return (this.gatesMade ??= judgeHosts(
      this.graph,
      this.inventory.hosts,
      linkAssessments(this.graph, this.inventory.hosts, this.now),
      this.gate,
      this.now,
    ));
  }

  get hosts(): readonly Host[] {
    return this.inventory.hosts;
  }

  gateOf(host: Host): HostGate {
    return this.gates.get(host.urn)!;
  }

  verified(host: Host): boolean {
    return this.gateOf(host).verified;
  }
}
