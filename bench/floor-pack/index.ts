import { PolicyPack, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/** Reads every property name of a resource without reading a value (an unknown read would make the policy advisory). */
function touch(props: object): number {
  return Object.keys(props).length;
}

let sink = 0;

const stack = (i: number): StackValidationPolicy => ({
  name: `floor-stack-${i}`,
  description: "touches every resource",
  enforcementLevel: "mandatory",
  validateStack: (args) => {
    for (const r of args.resources) sink += touch(r.props) + r.dependencies.length + Object.keys(r.propertyDependencies).length;
  },
});

const resource = (i: number): ResourceValidationPolicy => ({
  name: `floor-resource-${i}`,
  description: "touches every resource",
  enforcementLevel: "mandatory",
  validateResource: (args) => {
    sink += touch(args.props);
  },
});

// The same shape as the real pack: seven stack policies, two resource policies.
new PolicyPack("exchange-guard-floor", {
  policies: [stack(1), stack(2), stack(3), stack(4), stack(5), stack(6), stack(7), resource(1), resource(2)],
});

process.on("exit", () => void sink);
