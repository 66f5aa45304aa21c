import { childPath, normalizeId, parseArmId, topLevelId } from "../../policies/model/armIds";

const SUB = "00000000-0000-0000-0000-0000000000AB";
const NIC_ID = `/subscriptions/${SUB}/resourceGroups/RG-Exchange/providers/Microsoft.Network/networkInterfaces/nic-Ex01`;
const LB_ID = `/subscriptions/${SUB}/resourceGroups/RG-Exchange/providers/Microsoft.Network/loadBalancers/lb-Pub`;
const POOL_ID = `${LB_ID}/backendAddressPools/Pool1`;
const VM_ID = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`;
const ASSESSMENT_ID = `${VM_ID}/providers/Microsoft.Security/assessments/6f3ad5a2-6f8e-4d0c-9a57-0c6f4e1f2b71`;

describe("normalizeId", () => {
  it("lower-cases and strips leading, trailing and doubled slashes", () => {
    expect(normalizeId(NIC_ID)).toBe(
      "subscriptions/00000000-0000-0000-0000-0000000000ab/resourcegroups/rg-exchange/providers/microsoft.network/networkinterfaces/nic-ex01",
    );
    expect(normalizeId("  ///A//B///C/ ")).toBe("a/b/c");
    expect(normalizeId("a/b")).toBe("a/b");
    expect(normalizeId("")).toBe("");
  });

  it("makes ids Azure treats as equal compare equal", () => {
    expect(normalizeId(NIC_ID.slice(1))).toBe(normalizeId(NIC_ID));
    expect(normalizeId(NIC_ID.toUpperCase() + "/")).toBe(normalizeId(NIC_ID));
  });
});

describe("parseArmId", () => {
  it("parses a top-level resource id", () => {
    expect(parseArmId(NIC_ID)).toEqual({
      normalized: normalizeId(NIC_ID),
      subscription: SUB.toLowerCase(),
      resourceGroup: "rg-exchange",
      type: "microsoft.network/networkinterfaces",
      names: ["nic-Ex01"],
    });
  });

  it("parses a child resource id into the type chain and names, keeping name case", () => {
    const id = parseArmId(POOL_ID);
    expect(id.type).toBe("microsoft.network/loadbalancers/backendaddresspools");
    expect(id.names).toEqual(["lb-Pub", "Pool1"]);
  });

  it("parses ids case-insensitively, with or without a leading slash, with doubled slashes", () => {
    const a = parseArmId(NIC_ID);
    for (const variant of [NIC_ID.slice(1), NIC_ID.toUpperCase(), `  ${NIC_ID}/ `, NIC_ID.replace("/providers/", "//providers//")]) {
      const b = parseArmId(variant);
      expect(b.normalized).toBe(a.normalized);
      expect(b.subscription).toBe(a.subscription);
      expect(b.resourceGroup).toBe(a.resourceGroup);
      expect(b.type).toBe(a.type);
      expect(b.names.map((n) => n.toLowerCase())).toEqual(["nic-ex01"]);
    }
  });

  it("takes the last provider of an extension resource", () => {
    const id = parseArmId(ASSESSMENT_ID);
    expect(id.type).toBe("microsoft.security/assessments");
    expect(id.names).toEqual(["6f3ad5a2-6f8e-4d0c-9a57-0c6f4e1f2b71"]);
    expect(id.resourceGroup).toBe("rg");
  });

  it("reads an id without subscription", () => {
    const id = parseArmId("resourceGroups/rg1/providers/Microsoft.Network/publicIPAddresses/pip1");
    expect(id.subscription).toBeUndefined();
    expect(id.resourceGroup).toBe("rg1");
    expect(id.type).toBe("microsoft.network/publicipaddresses");
    expect(id.names).toEqual(["pip1"]);
  });

  it("ids without a provider have no type and no names", () => {
    expect(parseArmId("/subscriptions/S1/resourceGroups/RG1")).toEqual({
      normalized: "subscriptions/s1/resourcegroups/rg1",
      subscription: "s1",
      resourceGroup: "rg1",
      names: [],
    });
    expect(parseArmId("/subscriptions/S1/resourceGroups/RG1/providers")).toEqual({
      normalized: "subscriptions/s1/resourcegroups/rg1/providers",
      subscription: "s1",
      resourceGroup: "rg1",
      names: [],
    });
    expect(parseArmId("/subscriptions")).toEqual({ normalized: "subscriptions", subscription: undefined, resourceGroup: undefined, names: [] });
    expect(parseArmId("/subscriptions/s/resourceGroups")).toEqual({
      normalized: "subscriptions/s/resourcegroups",
      subscription: "s",
      resourceGroup: undefined,
      names: [],
    });
    expect(parseArmId("nic-ex01").type).toBeUndefined();
    expect(parseArmId("").names).toEqual([]);
  });

  it("a provider namespace without a type pair has the namespace as type and no names", () => {
    const id = parseArmId("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers");
    expect(id.type).toBe("microsoft.network");
    expect(id.names).toEqual([]);
  });

  it("ignores a dangling type without a name", () => {
    const id = parseArmId(`${LB_ID}/backendAddressPools`);
    expect(id.type).toBe("microsoft.network/loadbalancers");
    expect(id.names).toEqual(["lb-Pub"]);
  });

  it("'subscriptions' and 'resourceGroups' only count at the start", () => {
    const id = parseArmId("/providers/Microsoft.Foo/things/subscriptions");
    expect(id.subscription).toBeUndefined();
    expect(id.type).toBe("microsoft.foo/things");
    expect(id.names).toEqual(["subscriptions"]);
  });
});

describe("topLevelId", () => {
  it("is the parent resource of a child id", () => {
    expect(topLevelId(parseArmId(POOL_ID))).toBe(normalizeId(LB_ID));
    expect(topLevelId(parseArmId(`${VM_ID}/extensions/ext1`))).toBe(normalizeId(VM_ID));
  });

  it("is the id itself for a top-level resource", () => {
    expect(topLevelId(parseArmId(NIC_ID))).toBe(normalizeId(NIC_ID));
  });

  it("is the extension resource itself for an extension id", () => {
    expect(topLevelId(parseArmId(ASSESSMENT_ID))).toBe(normalizeId(ASSESSMENT_ID));
  });

  it("is undefined without type or names", () => {
    expect(topLevelId(parseArmId("/subscriptions/s/resourceGroups/rg"))).toBeUndefined();
    expect(topLevelId(parseArmId("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network"))).toBeUndefined();
    expect(topLevelId({ normalized: "x", type: "a/b", names: [] })).toBeUndefined();
    expect(topLevelId({ normalized: "a/b/c", type: "a/b", names: ["c"] })).toBeUndefined();
  });
});

describe("childPath", () => {
  it("is empty for a top-level resource or an id without type", () => {
    expect(childPath(parseArmId(NIC_ID))).toEqual([]);
    expect(childPath(parseArmId("/subscriptions/s"))).toEqual([]);
  });

  it("lists [type, name] below the top-level resource", () => {
    expect(childPath(parseArmId(POOL_ID))).toEqual([["backendaddresspools", "Pool1"]]);
    expect(childPath(parseArmId("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1/images/img/versions/1.0.0"))).toEqual([
      ["images", "img"],
      ["versions", "1.0.0"],
    ]);
  });
});
