/**
 * exchange-compromised-rebuilt-from-scratch (DESIGN §3.2, §3.3, §5): a host with any compromised
 * assessment is never marked remediated; every Exchange host's OS disk is created from an image
 * (never an attached disk), from approvedImages when set.
 */
import { ago, clean, diskId, Estate, gateOf, host, isolatedNet, NOW, Res, runGate, UNKNOWN, withDeps } from "../support/gateFixtures";
import { analyse, stackRule } from "../support/judge";
import { expectOnHost, expectSome, FORMS, messages } from "../support/assertions";

const GALLERY_RG = "rg-images";
const galleryBase = (e: Estate) => `/subscriptions/${e.sub}/resourceGroups/${GALLERY_RG}/providers/Microsoft.Compute/galleries/galExchange`;
const galleryImageId = (e: Estate) => `${galleryBase(e)}/images/exchange-2019`;
const versionId = (e: Estate, v = "1.0.0") => `${galleryImageId(e)}/versions/${v}`;

describe.each(FORMS)("exchange-compromised-rebuilt-from-scratch (%s form)", (_form, preview) => {
  it("is mandatory", () => {
    expect(stackRule("exchange-compromised-rebuilt-from-scratch").enforcementLevel).toBe("mandatory");
  });

  describe("compromise history", () => {
    it("compromised, then a newer clean assessment on the SAME VM: a violation; the host is not verified", () => {
      const e = new Estate({ preview });
      const vm = host(e);
      e.assessment("a-1-compromised", vm, clean({ verdict: "compromised", completedAt: ago(20) }));
      e.assessment("a-2-clean", vm, clean({ completedAt: ago(1) }));
      const r = runGate(e);
      expect(r.rebuild).toHaveLength(1);
      expectOnHost(r.rebuild, vm);
      // the message names the compromised record by its date (ago(20) = 2026-11-06)
      expectSome(r.rebuild, "host ex01 was found compromised", "2026-11-06", "marked remediated", "never cleaned in place");
      // requires-assessment and build-patched judge the newest (clean, complete) record and pass on their own
      expect(r.requires).toEqual([]);
      expect(r.build).toEqual([]);
      const g = gateOf(e, vm);
      expect(g.verified).toBe(false);
      expect(g.effectiveState).toBe("compromised");
    });

    it.each([
      ["compromised oldest, in the middle of the array", ["clean-mid", "compromised-old", "clean-new"]],
      ["compromised last in the array", ["clean-new", "clean-mid", "compromised-old"]],
      ["compromised first in the array", ["compromised-old", "clean-new", "clean-mid"]],
    ])("several assessments, the newest clean but an older compromised (%s): a violation", (_label, order) => {
      const e = new Estate({ preview });
      const vm = host(e);
      const spec: Record<string, Record<string, unknown>> = {
        "compromised-old": { verdict: "compromised", completedAt: ago(25) },
        "clean-mid": { completedAt: ago(10) },
        "clean-new": { completedAt: ago(1) },
      };
      for (const n of order) e.assessment(n, vm, clean(spec[n]));
      const r = runGate(e);
      expect(r.rebuild).toHaveLength(1);
      expectSome(r.rebuild, "was found compromised", "2026-11-01"); // ago(25)
      expect(r.requires).toEqual([]);
      const g = gateOf(e, vm);
      expect(g.newest?.assessment.node?.input.name).toBe("clean-new");
      expect(g.verified).toBe(false);
    });

    it("an older Healthy record whose verdict says compromised counts as compromised history", () => {
      const e = new Estate({ preview });
      const vm = host(e);
      e.assessment("a-old", vm, clean({ verdict: "compromised", completedAt: ago(20) }), "Healthy");
      e.assessment("a-new", vm, clean({ completedAt: ago(1) }));
      expectSome(runGate(e).rebuild, "was found compromised");
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("a compromised record even when it is stale or otherwise malformed still blocks", () => {
      const e = new Estate({ preview });
      const vm = host(e);
      e.assessment("a-old", vm, clean({ verdict: "compromised", completedAt: ago(400), evidenceSha256: "nope" }));
      e.assessment("a-new", vm, clean({ completedAt: ago(1) }));
      expectSome(runGate(e).rebuild, "was found compromised");
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("a host tagged compromised with a compromised assessment: no violation from this policy (it is not claimed remediated)", () => {
      const e = new Estate({ preview });
      const vm = host(e, { state: "compromised" });
      e.assessment("a-ex01", vm, clean({ verdict: "compromised" }));
      expect(runGate(e).rebuild).toEqual([]);
      expect(gateOf(e, vm).effectiveState).toBe("compromised");
    });

    it("a host whose newest assessment is compromised but whose tag says unverified is reported compromised", () => {
      const e = new Estate({ preview });
      const vm = host(e, { state: "unverified" });
      e.assessment("a-old", vm, clean({ completedAt: ago(20) }));
      e.assessment("a-new", vm, clean({ verdict: "compromised", completedAt: ago(1) }));
      const a = analyse(e.resources, {}, NOW);
      const h = a.hosts.find((x) => x.urn === vm.urn)!;
      expect(h.state).toBe("unverified");
      expect(a.gateOf(h).effectiveState).toBe("compromised");
      expect(a.gateOf(h).verified).toBe(false);
      expect(runGate(e).rebuild).toEqual([]);
    });

    it("also with no state tag at all", () => {
      const e = new Estate({ preview });
      const vm = host(e, { state: null });
      e.assessment("a-ex01", vm, clean({ verdict: "compromised" }));
      expect(gateOf(e, vm).effectiveState).toBe("compromised");
    });

    it("the rebuild: a NEW VM (next generation) with a clean assessment is verified; the old VM's history does not follow it", () => {
      const e = new Estate({ preview });
      const net = isolatedNet(e);
      const old = host(e, { name: "ex01", state: "compromised", net });
      e.assessment("a-ex01-g1", old, clean({ verdict: "compromised", completedAt: ago(20) }));
      const vm = host(e, { name: "ex01-g2", ip: "10.0.1.5", net });
      e.assessment("a-ex01-g2", vm, clean({ completedAt: ago(1) }));
      const r = runGate(e);
      expect(messages([...r.requires, ...r.build, ...r.rebuild])).toBe("");
      expect(gateOf(e, vm).verified).toBe(true);
      expect(gateOf(e, old).effectiveState).toBe("compromised");
    });
  });

  describe("OS disk created from an image", () => {
    const attached = (e: Estate) => ({ createOption: "Attach", managedDisk: { id: diskId(e, "ex01-old-osdisk") } });

    it.each(["remediated", "unverified", "compromised", null])("an attached OS disk is a violation for host state %p", (state) => {
      const e = new Estate({ preview });
      const vm = host(e, { state, osDisk: attached(e) });
      e.assessment("a-ex01", vm, clean());
      const r = runGate(e);
      expect(r.rebuild).toHaveLength(1);
      expectOnHost(r.rebuild, vm);
      expectSome(r.rebuild, "host ex01", "Attach", "not from an image");
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("an attached OS disk on a remediated host with a perfect assessment: only this policy objects", () => {
      const e = new Estate({ preview });
      const vm = host(e, { osDisk: attached(e) });
      e.assessment("a-ex01", vm, clean());
      const r = runGate(e);
      expect(r.requires).toEqual([]);
      expect(r.build).toEqual([]);
      expect(r.rebuild).toHaveLength(1);
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it.each([
      ["Copy", { createOption: "Copy" }],
      ["Empty", { createOption: "Empty" }],
      ["attach (lower case)", { createOption: "attach", managedDisk: { id: "x" } }],
    ])("createOption %s: a violation", (_label, osDisk) => {
      const e = new Estate({ preview });
      host(e, { state: "unverified", osDisk });
      expectSome(runGate(e).rebuild, "host ex01", "not from an image");
    });

    it("no createOption: a violation", () => {
      const e = new Estate({ preview });
      host(e, { state: "unverified", osDisk: { name: "ex01-osdisk" } });
      expectSome(runGate(e).rebuild, "host ex01", "createOption");
    });

    it("fromimage in any case passes", () => {
      const e = new Estate({ preview });
      const vm = host(e, { osDisk: { createOption: "fromImage", name: "ex01-osdisk" } });
      e.assessment("a-ex01", vm, clean());
      expect(runGate(e).rebuild).toEqual([]);
      expect(gateOf(e, vm).verified).toBe(true);
    });

    if (preview) {
      it("createOption unknown at preview: fails closed", () => {
        const e = new Estate({ preview });
        const vm = host(e, { osDisk: { createOption: UNKNOWN } });
        e.assessment("a-ex01", vm, clean());
        expectSome(runGate(e).rebuild, "host ex01", "unknown at preview");
        expect(gateOf(e, vm).verified).toBe(false);
      });
    }

    it("a VM that is not an Exchange host is not judged", () => {
      const e = new Estate({ preview });
      const { sub } = isolatedNet(e);
      const nic = e.nic("nic-jump", { subnet: sub, privateIp: "10.0.1.9" });
      e.vm("jump01", { nics: [nic], tags: { workload: "jumpbox" }, osDisk: attached(e) });
      expect(runGate(e).rebuild).toEqual([]);
    });
  });

  describe("approvedImages", () => {
    const MARKET = "MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition";

    const marketHost = (image?: Record<string, unknown>) => {
      const e = new Estate({ preview });
      const vm = host(e, { image });
      e.assessment("a-ex01", vm, clean());
      return { e, vm };
    };

    it.each([
      ["exact case, no version", [MARKET]],
      ["lower case, no version", [MARKET.toLowerCase()]],
      ["upper case with the version", [`${MARKET.toUpperCase()}:LATEST`]],
      ["among others", ["Canonical:ubuntu:22_04-lts", MARKET]],
    ])("marketplace image approved (%s)", (_label, approvedImages) => {
      const { e, vm } = marketHost();
      expect(runGate(e, { approvedImages }).rebuild).toEqual([]);
      expect(gateOf(e, vm, { approvedImages }).verified).toBe(true);
    });

    it.each([
      ["another sku", ["MicrosoftWindowsServer:WindowsServer:2019-datacenter"]],
      ["another version", [`${MARKET}:20348.2700.240905`]],
      ["another publisher", ["Contoso:WindowsServer:2022-datacenter-azure-edition"]],
      ["only a gallery image id", ["/subscriptions/0/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i"]],
    ])("marketplace image not approved (%s): a violation naming the image", (_label, approvedImages) => {
      const { e, vm } = marketHost();
      const v = runGate(e, { approvedImages }).rebuild;
      expect(v).toHaveLength(1);
      expectOnHost(v, vm);
      expectSome(v, "host ex01", "microsoftwindowsserver:windowsserver:2022-datacenter-azure-edition", "not in approvedImages");
      expect(gateOf(e, vm, { approvedImages }).verified).toBe(false);
    });

    it("a pinned version approved and used: passes; the same entry with the VM on 'latest': not approved", () => {
      const pinned = marketHost({
        publisher: "MicrosoftWindowsServer",
        offer: "WindowsServer",
        sku: "2022-datacenter-azure-edition",
        version: "20348.2700.240905",
      });
      expect(runGate(pinned.e, { approvedImages: [`${MARKET}:20348.2700.240905`] }).rebuild).toEqual([]);
      const latest = marketHost();
      expect(runGate(latest.e, { approvedImages: [`${MARKET}:20348.2700.240905`] }).rebuild).toHaveLength(1);
    });

    it("empty approvedImages allows any image built FromImage", () => {
      const { e, vm } = marketHost({ publisher: "Anyone", offer: "Anything", sku: "x", version: "1" });
      expect(runGate(e, { approvedImages: [] }).rebuild).toEqual([]);
      expect(gateOf(e, vm).verified).toBe(true);
    });

    describe("gallery images by id (the id is a literal, known in both forms)", () => {
      const idHost = (id: string) => marketHost({ id });

      it("an approved gallery image id approves a version id of that image", () => {
        const e0 = new Estate();
        const { e, vm } = idHost(versionId(e0));
        expect(runGate(e, { approvedImages: [galleryImageId(e0)] }).rebuild).toEqual([]);
        expect(gateOf(e, vm, { approvedImages: [galleryImageId(e0)] }).verified).toBe(true);
      });

      it("... case-insensitively and without the leading slash", () => {
        const e0 = new Estate();
        const { e } = idHost(versionId(e0).toUpperCase());
        expect(runGate(e, { approvedImages: [galleryImageId(e0).slice(1).toLowerCase()] }).rebuild).toEqual([]);
      });

      it("an exact version id approves that version only", () => {
        const e0 = new Estate();
        const ok = idHost(versionId(e0, "1.0.0"));
        expect(runGate(ok.e, { approvedImages: [versionId(e0, "1.0.0")] }).rebuild).toEqual([]);
        const other = idHost(versionId(e0, "1.0.1"));
        const v = runGate(other.e, { approvedImages: [versionId(e0, "1.0.0")] }).rebuild;
        expect(v).toHaveLength(1);
        expectSome(v, "1.0.1", "not in approvedImages");
      });

      it('an approved version id does not approve its gallery image ("latest")', () => {
        const e0 = new Estate();
        const { e } = idHost(galleryImageId(e0));
        expect(runGate(e, { approvedImages: [versionId(e0)] }).rebuild).toHaveLength(1);
      });

      it("an image of another gallery with a name that starts the same is not approved", () => {
        const e0 = new Estate();
        const { e } = idHost(`${galleryImageId(e0)}-old/versions/1.0.0`);
        expect(runGate(e, { approvedImages: [galleryImageId(e0)] }).rebuild).toHaveLength(1);
      });

      it("a managed image id approved exactly", () => {
        const img = `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/${GALLERY_RG}/providers/Microsoft.Compute/images/exchange-golden`;
        const { e } = idHost(img);
        expect(runGate(e, { approvedImages: [img] }).rebuild).toEqual([]);
        expect(runGate(e, { approvedImages: [`${img}-2`] }).rebuild).toHaveLength(1);
      });

      it("an image id while only marketplace entries are approved: not approved", () => {
        const e0 = new Estate();
        const { e } = idHost(versionId(e0));
        expectSome(runGate(e, { approvedImages: [MARKET] }).rebuild, "not in approvedImages");
      });
    });

    describe("a gallery image version created in this stack (its id unknown at preview)", () => {
      const galleryStack = (o: { versionName?: string; imageName?: string; rg?: unknown; link?: boolean } = {}) => {
        const e = new Estate({ preview });
        const versionName = o.versionName ?? "1.0.0";
        const imageName = o.imageName ?? "exchange-2019";
        const rg = typeof o.rg === "string" && o.rg !== UNKNOWN ? o.rg : GALLERY_RG;
        const id = `/subscriptions/${e.sub}/resourceGroups/${rg}/providers/Microsoft.Compute/galleries/galExchange/images/${imageName}/versions/${versionName}`;
        const giv = e.add(
          "azure-native:compute:GalleryImageVersion",
          `giv-${imageName}-${versionName}`,
          {
            galleryName: "galExchange",
            galleryImageName: imageName,
            galleryImageVersionName: versionName,
            resourceGroupName: o.rg ?? GALLERY_RG,
            location: "westeurope",
          },
          {},
          id,
        );
        let vm: Res = host(e, { image: e.ref(giv) });
        if (o.link !== false) vm = withDeps(e, vm, "storageProfile", [giv]);
        e.assessment("a-ex01", vm, clean());
        return { e, vm, giv };
      };

      it("the image reference is unknown at preview exactly when expected", () => {
        const { vm } = galleryStack();
        const id = ((vm.properties.storageProfile as Record<string, unknown>).imageReference as Record<string, unknown>).id;
        expect(id === UNKNOWN).toBe(preview);
      });

      it("approved gallery image: resolved through the dependency, passes", () => {
        const e0 = new Estate();
        const { e, vm } = galleryStack();
        expect(runGate(e, { approvedImages: [galleryImageId(e0)] }).rebuild).toEqual([]);
        expect(gateOf(e, vm, { approvedImages: [galleryImageId(e0)] }).verified).toBe(true);
      });

      it("approved exact version: passes; another version approved: a violation", () => {
        const e0 = new Estate();
        const { e } = galleryStack();
        expect(runGate(e, { approvedImages: [versionId(e0, "1.0.0")] }).rebuild).toEqual([]);
        expectSome(runGate(e, { approvedImages: [versionId(e0, "2.0.0")] }).rebuild, "host ex01", "not in approvedImages");
      });

      it("a version of another image of the gallery: a violation", () => {
        const e0 = new Estate();
        const { e, vm } = galleryStack({ imageName: "exchange-test" });
        const v = runGate(e, { approvedImages: [galleryImageId(e0)] }).rebuild;
        expect(v).toHaveLength(1);
        expectSome(v, "exchange-test");
        expect(gateOf(e, vm, { approvedImages: [galleryImageId(e0)] }).verified).toBe(false);
      });

      it("the same gallery and image names in another resource group: a violation", () => {
        const e0 = new Estate();
        const { e } = galleryStack({ rg: "rg-sandbox" });
        expect(runGate(e, { approvedImages: [galleryImageId(e0)] }).rebuild).toHaveLength(1);
      });

      if (preview) {
        it("no dependency names the image: cannot be checked, fails closed", () => {
          const e0 = new Estate();
          const { e, vm } = galleryStack({ link: false });
          // Estate.vm gives the VM plain dependencies on its NICs only.
          const v = runGate(e, { approvedImages: [galleryImageId(e0)] }).rebuild;
          expect(v).toHaveLength(1);
          expectSome(v, "host ex01", "cannot be checked against approvedImages", "unknown at preview");
          expect(gateOf(e, vm, { approvedImages: [galleryImageId(e0)] }).verified).toBe(false);
        });

        it("the gallery's resource group unknown at preview: the approval cannot be proved, fails closed", () => {
          const e0 = new Estate();
          const { e, vm } = galleryStack({ rg: UNKNOWN });
          expect(gateOf(e, vm, { approvedImages: [galleryImageId(e0)] }).verified).toBe(false);
        });
      }
    });

    it("an image id that cannot be resolved (unknown, no dependency): fails closed", () => {
      const { e, vm } = marketHost({ id: UNKNOWN });
      const v = runGate(e, { approvedImages: [MARKET] }).rebuild;
      expect(v).toHaveLength(1);
      expectSome(v, "host ex01", "cannot be checked against approvedImages", "imageReference.id");
      expect(gateOf(e, vm, { approvedImages: [MARKET] }).verified).toBe(false);
    });

    it("a marketplace part unknown: fails closed naming it", () => {
      const { e } = marketHost({ publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: UNKNOWN, version: "latest" });
      expectSome(runGate(e, { approvedImages: [MARKET] }).rebuild, "imageReference.sku", "unknown");
    });

    it("no imageReference at all with FromImage: a violation even without approvedImages", () => {
      const e = new Estate({ preview });
      const vm = host(e);
      const i = e.resources.indexOf(vm);
      const sp = vm.properties.storageProfile as Record<string, unknown>;
      e.resources[i] = { ...vm, properties: { ...vm.properties, storageProfile: { osDisk: sp.osDisk } } };
      e.assessment("a-ex01", e.resources[i], clean());
      expectSome(runGate(e).rebuild, "host ex01", "no imageReference");
    });
  });
});
