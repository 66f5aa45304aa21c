import { CONFIG_KEYS, decodeProgramConfig, encodeStackConfig, fleetConfigOf, StackFileError } from "../../stacks/config/programConfig";
import { listStacks, readEncodedStackConfig } from "../../stacks/config/stackFile";

const YAML = `
config:
  azure-native:location: westeurope
  exchange-guard:resourceGroupName: rg-x
  exchange-guard:bastion: false
  exchange-guard:managementPorts: [3389]
  exchange-guard:assessmentMetadataGuid: "6f3ad5a2-6f8e-4d0c-9a57-0c6f4e1f2b71"
  exchange-guard:network:
    addressSpace: 10.0.0.0/16
  projectKey: 7
`;

describe("the Pulumi CLI's config encoding", () => {
  it("passes strings raw and everything else as JSON, keys qualified", () => {
    expect(encodeStackConfig(YAML, "Pulumi.x.yaml")).toEqual({
      "azure-native:location": "westeurope",
      "exchange-guard:resourceGroupName": "rg-x",
      "exchange-guard:bastion": "false",
      "exchange-guard:managementPorts": "[3389]",
      "exchange-guard:assessmentMetadataGuid": "6f3ad5a2-6f8e-4d0c-9a57-0c6f4e1f2b71",
      "exchange-guard:network": '{"addressSpace":"10.0.0.0/16"}',
      "exchange-compromise-guard:projectKey": "7",
    });
  });

  it("refuses a secure value, naming the key, instead of passing ciphertext to the program", () => {
    const secure = "config:\n  exchange-guard:adminUsername:\n    secure: AAABAJ+x\n";
    expect(() => encodeStackConfig(secure, "Pulumi.s.yaml")).toThrow(StackFileError);
    expect(() => encodeStackConfig(secure, "Pulumi.s.yaml")).toThrow(/exchange-guard:adminUsername holds a secure value/);
  });

  it("names the file when the YAML is broken or config is not a map", () => {
    expect(() => encodeStackConfig("config: [", "Pulumi.b.yaml")).toThrow(/cannot read stack config Pulumi\.b\.yaml/);
    expect(() => encodeStackConfig("config: [1, 2]", "Pulumi.b.yaml")).toThrow(/'config' must be a map/);
  });
});

describe("the program's decoding", () => {
  it("reads a plain string as itself: the value that stopped the entry point under the real CLI", () => {
    const raw = fleetConfigOf(encodeStackConfig(YAML, "Pulumi.x.yaml"));
    expect(raw.resourceGroupName).toBe("rg-x");
    expect(raw.assessmentMetadataGuid).toBe("6f3ad5a2-6f8e-4d0c-9a57-0c6f4e1f2b71");
    expect(raw.bastion).toBe(false);
    expect(raw.managementPorts).toEqual([3389]);
    expect(raw.network).toEqual({ addressSpace: "10.0.0.0/16" });
    expect(raw.location).toBe("westeurope");
  });

  it("keeps a structured key's non-JSON text, so validation names the key rather than a JSON parser", () => {
    expect(decodeProgramConfig((k) => (k === "network" ? "10.0.0.0/16" : undefined))).toEqual({ network: "10.0.0.0/16" });
  });

  it("lets exchange-guard:location win over azure-native:location", () => {
    expect(decodeProgramConfig((k) => (k === "location" ? "northeurope" : undefined), "westeurope").location).toBe("northeurope");
  });

  it.each(listStacks())("decodes every key of bundled stack %s to the value its YAML holds", (stack) => {
    const encoded = readEncodedStackConfig(stack);
    const raw = fleetConfigOf(encoded);
    for (const key of Object.keys(encoded).filter((k) => k.startsWith("exchange-guard:"))) {
      const name = key.slice("exchange-guard:".length);
      expect(Object.keys(CONFIG_KEYS)).toContain(name);
      expect(raw[name]).toBeDefined();
    }
    expect(typeof raw.resourceGroupName).toBe("string");
    expect(Array.isArray(raw.hosts)).toBe(true);
  });
});
