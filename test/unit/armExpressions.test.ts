/**
 * policies/model/armExpressions.ts: the part of ARM template expressions the pack reads (names and tags of template
 * VMs), per https://learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions and the function
 * reference (concat, toLower, toUpper, parameters, variables, resourceGroup). Anything else is unknown.
 */
import { evaluate, evaluateEntries, TemplateScope } from "../../policies/model/armExpressions";

const scope = (o: Partial<{ parameters: Record<string, unknown>; variables: Record<string, unknown>; rg: string }> = {}): TemplateScope => ({
  parameters: (n) => o.parameters?.[n],
  variables: (n) => o.variables?.[n],
  resourceGroup: o.rg,
});

describe("evaluate", () => {
  it("a plain string is itself; a leading [[ escapes a literal bracket", () => {
    expect(evaluate("exchange", scope())).toEqual({ value: "exchange", known: true, text: "exchange" });
    expect(evaluate("[[not an expression]", scope()).value).toBe("[not an expression]");
  });

  it("string and number literals, with '' for a quote inside a string", () => {
    expect(evaluate("['it''s']", scope()).value).toBe("it's");
    expect(evaluate("[concat('vm', 3)]", scope()).value).toBe("vm3");
  });

  it("parameters and variables, nested, through concat, toLower and toUpper, and resourceGroup().name", () => {
    const s = scope({
      parameters: { prefix: "EX" },
      variables: { vmName: "[concat(toLower(parameters('prefix')), '-', resourceGroup().name)]" },
      rg: "RG-Exchange",
    });
    expect(evaluate("[toUpper(variables('vmName'))]", s).value).toBe("EX-RG-EXCHANGE");
    expect(evaluate("[variables('vmName')]", s)).toEqual({ value: "ex-RG-Exchange", known: true, text: "ex-RG-Exchange" });
  });

  it("property access on an object variable, by name or by index expression", () => {
    const s = scope({ variables: { tags: { workload: "exchange", "remediation-state": "unverified" } } });
    expect(evaluate("[variables('tags').workload]", s).value).toBe("exchange");
    expect(evaluate("[variables('tags')['remediation-state']]", s).value).toBe("unverified");
    expect(evaluate("[variables('tags').missing]", s).known).toBe(false);
  });

  it("an unknown part keeps the expression unknown, shown as written in braces", () => {
    const s = scope({ variables: { vmName: "[concat('vm', resourceGroup().name)]" }, rg: "rg1" });
    expect(evaluate("[concat(variables('vmName'),copyIndex())]", s)).toEqual({ value: undefined, known: false, text: "vmrg1{copyIndex()}" });
    expect(evaluate("[resourceGroup().name]", scope()).known).toBe(false);
    expect(evaluate("[parameters('missing')]", scope())).toEqual({ value: undefined, known: false, text: "{parameters('missing')}" });
  });

  it("a parse error, a cycle, or an unknown function is unknown, never thrown", () => {
    for (const x of ["[concat('a']", "[)]", "[reference('x').primaryEndpoints.blob]", "[uniqueString(resourceGroup().id)]"]) {
      expect(evaluate(x, scope()).known).toBe(false);
    }
    expect(evaluate("[variables('a')]", scope({ variables: { a: "[variables('a')]" } })).known).toBe(false);
  });

  it("objects and arrays are known only when every part is", () => {
    expect(evaluate({ a: "x", b: ["[concat('y', 'z')]"] }, scope()).value).toEqual({ a: "x", b: ["yz"] });
    expect(evaluate({ a: "[copyIndex()]" }, scope()).known).toBe(false);
  });
});

describe("evaluateEntries", () => {
  it("each value on its own, whether the object is literal or an expression", () => {
    const s = scope({ parameters: { state: "unverified" }, variables: { tags: { workload: "exchange" } } });
    const lit = evaluateEntries({ workload: "exchange", "remediation-state": "[parameters('state')]", other: "[copyIndex()]" }, s)!;
    expect([...lit].map(([k, v]) => [k, v.known, v.value])).toEqual([
      ["workload", true, "exchange"],
      ["remediation-state", true, "unverified"],
      ["other", false, undefined],
    ]);
    expect([...evaluateEntries("[variables('tags')]", s)!].map(([k, v]) => [k, v.value])).toEqual([["workload", "exchange"]]);
    expect(evaluateEntries("[parameters('tags')]", s)).toBeUndefined();
  });
});
