import { printedForms } from "../../policies/model/secretForms";
import { recordSecretLeaf } from "../../policies/model/values";

describe("printedForms: every rendering the model may print of a secret", () => {
  it.each([
    ["15.02.0792.003", ["15.2.792.3"]],
    ["0443", ["443"]],
    ["0080-0443", ["80-443"]],
    ["203.0.113.77/24", ["203.0.113.0/24"]],
    ["2001:0db8:0000::/32", ["2001:db8::/32"]],
    ["10.0.1.4", ["10.0.1.4/32"]],
    ["2021-03-02T10:00:00+02:00", ["2021-03-02T08:00:00.000Z", "2021-03-02"]],
  ])("%s is also recorded as %j", (text, forms) => {
    const sink = new Set<string>();
    recordSecretLeaf(text, sink);
    for (const f of [text, ...forms]) expect(sink).toContain(f);
  });

  it("never records the words messages use for whole sets", () => {
    for (const t of ["*", "0.0.0.0/0", "0-65535"]) {
      const forms = printedForms(t);
      for (const w of ["all ports", "any address", "the internet"]) expect(forms).not.toContain(w);
    }
  });

  it("plain words have no other form", () => {
    expect(printedForms("allow-rdp-from-vendor")).toEqual([]);
    expect(printedForms("   ")).toEqual([]);
  });
});
