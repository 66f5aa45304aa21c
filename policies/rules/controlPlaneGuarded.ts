import { CONTROL_PLANE_SCHEMA } from "../model/config";
import {
  AssignmentMiss,
  ControlPlaneFinding,
  controlPlaneFindings,
  LockMiss,
  NO_PUBLIC_IP_ON_NICS,
  NO_PUBLIC_IP_ON_NICS_NAME,
  parseAssignedAt,
} from "../model/controlPlane";
import { CISA_ED_21_02, DOCS, StackRule, Violation } from "./types";

const BUILT_IN = `Microsoft's built-in Azure Policy "${NO_PUBLIC_IP_ON_NICS_NAME}" (${NO_PUBLIC_IP_ON_NICS})`;
const ASSIGN_FIX = `assign ${BUILT_IN} at the hosts' resource group with an authorization.PolicyAssignment (enforcementMode Default, no notScopes, overrides or resourceSelectors that leave the hosts' NICs out), or, when it is assigned at a management group or subscription, set controlPlaneAssignedAt on exchange-control-plane-guarded`;
const LOCK_FIX =
  "add an authorization.ManagementLockByScope with level CanNotDelete and scope the snapshot's id (or lock its resource group), so nobody outside Pulumi deletes the evidence";

function assignmentMissText(m: AssignmentMiss): string {
  switch (m.kind) {
    case "definition-unknown":
      return `${m.what}, so it may assign another definition`;
    case "not-enforced":
      return `its enforcementMode is ${m.mode}, which does not deny`;
    case "enforcement-unknown":
    case "overrides-unknown":
      return `${m.what}, so it may not deny`;
    case "effect-overridden":
      return `an override sets its effect to ${m.value} instead of deny`;
    case "scope-elsewhere":
      return `its scope ${m.scope} does not hold it`;
    case "scope-management-group":
      return `its scope is management group ${m.scope}, whose subscriptions the pack cannot see (name it in controlPlaneAssignedAt instead)`;
    case "scope-unknown":
      return `its scope cannot be shown to hold it: ${m.what}`;
    case "excluded":
      return `its notScopes exclude it (${m.notScope})`;
    case "exclusion-unknown":
      return `its notScopes may exclude it: ${m.what}`;
    case "not-selected":
      return `its resourceSelectors may leave it out: ${m.why}`;
    case "config-other-subscription":
      return `it names ${m.assignedAt}, but the NIC is in subscription ${m.subscription}`;
  }
}

function lockMissText(m: LockMiss): string {
  switch (m.kind) {
    case "level-too-weak":
      return `its level is ${m.level}, not CanNotDelete or ReadOnly`;
    case "level-unknown":
      return `${m.what}, so it may not stop a delete`;
    case "scope-unknown":
      return `it cannot be shown to cover the snapshot: ${m.what}`;
  }
}

/** The one rendering of a control-plane finding to a violation. */
export function renderControlPlaneFinding(f: ControlPlaneFinding): Violation {
  switch (f.kind) {
    case "no-assignment":
      return {
        message: `this stack has Exchange hosts (${f.hosts.join(", ")}) but no assignment of ${BUILT_IN}, so a public IP attached to a host's NIC in the portal, with the Azure CLI or by another template is not denied. Fix: ${ASSIGN_FIX}.`,
      };
    case "nic-unguarded":
      return {
        urn: f.host.urn,
        message: `host ${f.host.name}: ${f.nic} is not guarded by ${BUILT_IN}, so a public IP attached outside Pulumi is not denied: ${f.misses
          .map(
            (m) =>
              `${m.assignment === "controlPlaneAssignedAt" ? "controlPlaneAssignedAt" : `assignment ${m.assignment}`}: ${assignmentMissText(m.miss)}`,
          )
          .join("; ")}. Fix: ${ASSIGN_FIX}.`,
      };
    case "evidence-unlocked":
      return {
        urn: f.host.urn,
        message: `host ${f.host.name}: evidence snapshot ${f.snapshot} has no CanNotDelete or ReadOnly management lock, so anyone who may write to it outside Pulumi can delete the evidence${
          f.misses.length > 0 ? ` (${f.misses.map((m) => `lock ${m.lock}: ${lockMissText(m.miss)}`).join("; ")})` : ""
        }. Fix: ${LOCK_FIX}.`,
      };
  }
}

export const controlPlaneGuarded: StackRule = {
  kind: "stack",
  name: "exchange-control-plane-guarded",
  description:
    'A stack with Exchange hosts assigns the built-in Azure Policy "Network interfaces should not have public IPs" (deny) over the hosts\' NICs, and every evidence snapshot has a CanNotDelete lock, so changes made outside Pulumi cannot expose a host or remove the evidence.',
  enforcementLevel: "advisory",
  severity: "high",
  remediationSteps: `Deploy with the hosts: an authorization.PolicyAssignment of ${NO_PUBLIC_IP_ON_NICS} at their resource group (enforcementMode Default), or set controlPlaneAssignedAt to the management group or subscription where it is assigned; and an authorization.ManagementLockByScope (level CanNotDelete) on every evidence snapshot.`,
  url: `${DOCS}#exchange-control-plane-guarded`,
  framework: CISA_ED_21_02,
  tags: ["nist-800-53:AC-3", "nist-800-53:AU-9", "nist-800-53:SC-7", "control-plane"],
  schemas: [CONTROL_PLANE_SCHEMA],
  configErrors(config) {
    const { error } = parseAssignedAt(config.controlPlaneAssignedAt);
    return error ? [error] : [];
  },
  evaluate(a, config) {
    // A malformed controlPlaneAssignedAt is reported by configErrors and vouches for nothing.
    const assignedAt = parseAssignedAt(config.controlPlaneAssignedAt).value;
    return controlPlaneFindings(a.graph, a.hosts, assignedAt).map(renderControlPlaneFinding);
  },
};
