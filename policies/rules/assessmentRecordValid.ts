import { isCandidateAssessment, readAssessment } from "../model/assessments";
import { parseArmId } from "../model/armIds";
import { GraphNode } from "../model/graph";
import { canonicalType, T } from "../model/resourceTypes";
import { field, path, str } from "../model/values";
import { CISA_ED_21_02, DOCS, ResourceRule, Violation } from "./types";

export const assessmentRecordValid: ResourceRule = {
  kind: "resource",
  name: "exchange-assessment-record-valid",
  description:
    "Every security.Assessment with assessmentKind exchange-compromise is well-formed: status and verdict agree, dates are ISO-8601 and not in the future, build, checks, log coverage, evidence hash and tool are recorded.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Produce assessment records with `exchange-guard ingest` from the tools' real output instead of writing them by hand, and let the stacks turn them into security.Assessment resources.",
  url: `${DOCS}#exchange-assessment-record-valid`,
  framework: CISA_ED_21_02,
  tags: ["nist-800-53:IR-4", "nist-800-53:AU-10", "gate"],
  schemas: [],
  evaluate(r, _gate, now): Violation[] {
    if (canonicalType(r.type) !== T.Assessment) return [];
    const node = new GraphNode(r);
    if (!isCandidateAssessment(node)) return [];
    const view = readAssessment(node, now);
    const vmId = str(field(r.props, "resourceId")) ?? str(path(r.props, "resourceDetails", "id"));
    const host = typeof vmId === "string" ? parseArmId(vmId).names[0] : undefined;
    const about = `exchange-compromise assessment ${r.name}${host ? ` of host ${host}` : ""}`;
    return [
      ...view.problems.map((p) => ({ message: `${about} is malformed: ${p}. Fix: regenerate the record with exchange-guard ingest.` })),
      ...view.unknowns.map((u) => ({ message: `${about} cannot be validated at preview: ${u}. Fix: record the assessment with literal values.` })),
    ];
  },
};
