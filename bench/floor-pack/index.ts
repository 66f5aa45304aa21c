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

// The same shape as the real pack (test/unit/policyGuide.test.ts holds them equal to RULES).
const STACK_POLICIES = 8;
const RESOURCE_POLICIES = 2;
new PolicyPack("exchange-guard-floor", {
  policies: [
    ...Array.from({ length: STACK_POLICIES }, (_, i) => stack(i + 1)),
    ...Array.from({ length: RESOURCE_POLICIES }, (_, i) => resource(i + 1)),
  ],
});

process.on("exit", () => void sink);
