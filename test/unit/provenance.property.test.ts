/**
 * Property tests of the ancestry search (policies/model/provenance.ts) against brute force: the shortest-path search
 * on random small graphs with cycles, and the whole model on random lineages of snapshots, disks, images, gallery
 * versions and builder VMs (with Exchange hosts and ids outside the stack), in update and preview form, against
 * plain reachability over the links the generator wired.
 */
import fc from "fast-check";
import { ResourceGraph } from "../../policies/model/graph";
import { DEFAULT_HOST_TAGS, HostInventory } from "../../policies/model/hosts";
import { NetworkModel } from "../../policies/model/network";
import { Link, pathsToSources, ProvenanceIndex } from "../../policies/model/provenance";
import { runs } from "../support/budget";
import { Estate, Res } from "../support/gateFixtures";
import { toInputs } from "../support/judge";
import { ImageDisk, Lineage, Source } from "../support/lineage";

/** Fewest links from `from` to any of `targets` (0 when it is one), by a forward search; undefined when none is reachable. */
function bruteDistance(adj: ReadonlyMap<number, readonly number[]>, from: number, targets: ReadonlySet<number>): number | undefined {
  let frontier = [from];
  const seen = new Set(frontier);
  for (let d = 0; frontier.length > 0; d++) {
    if (frontier.some((n) => targets.has(n))) return d;
    const next: number[] = [];
    for (const n of frontier) {
      for (const m of adj.get(n) ?? []) {
        if (seen.has(m)) continue;
        seen.add(m);
        next.push(m);
      }
    }
    frontier = next;
  }
  return undefined;
}

describe("pathsToSources against a forward search from every node", () => {
  const graphs = fc.integer({ min: 1, max: 12 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      links: fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 })), { maxLength: 3 * n }),
      sources: fc.uniqueArray(fc.nat({ max: n - 1 }), { maxLength: n }),
    }),
  );

  it("reaches exactly the nodes that reach a source, by a shortest path of real links", () => {
    fc.assert(
      fc.property(graphs, ({ n, links, sources }) => {
        const linksOf = new Map<number, Link<number>[]>();
        const adj = new Map<number, number[]>();
        for (let i = 0; i < n; i++) {
          linksOf.set(i, []);
          adj.set(i, []);
        }
        links.forEach(([from, to], k) => {
          linksOf.get(from)!.push({ to, field: `f${k}`, byDependency: false });
          adj.get(from)!.push(to);
        });
        const { next, dist } = pathsToSources(linksOf, sources);
        const targets = new Set(sources);
        for (let i = 0; i < n; i++) {
          const want = bruteDistance(adj, i, targets);
          expect({ node: i, dist: dist.get(i), reached: next.has(i) }).toEqual({ node: i, dist: want, reached: want !== undefined });
          if (want === undefined) continue;
          let cur = i;
          for (let step = 0; step < want; step++) {
            const l = next.get(cur)!;
            expect(linksOf.get(cur)).toContain(l);
            cur = l.to;
          }
          expect(next.get(cur)).toBeNull();
          expect(targets.has(cur)).toBe(true);
        }
      }),
      { numRuns: runs(500) },
    );
  });
});

type Kind = "snapshot" | "disk" | "image" | "version" | "builder";
type EndKind = "exchange" | "ext-snapshot" | "ext-image" | "ext-vm";

interface Wired {
  readonly kinds: readonly Kind[];
  /** Index ≥ kinds.length: Exchange host VMs, then ids outside the stack. */
  readonly ends: readonly EndKind[];
  readonly edges: ReadonlyMap<number, number[]>;
  readonly start: number;
}

/**
 * Keeps the wires a resource of `kind` can hold in azure-native's shape (one sourceResourceId per disk, any number of
 * image data disks, ...), as edges of an abstract graph; the rest is dropped.
 */
function wire(kinds: readonly Kind[], ends: readonly EndKind[], raw: ReadonlyArray<[number, number]>, start: number): Wired | undefined {
  const kindOf = (i: number): Kind | EndKind => (i < kinds.length ? kinds[i] : ends[i - kinds.length]);
  const taken = new Map<number, Set<string>>();
  const edges = new Map<number, number[]>();
  const slot = (from: Kind, to: Kind | EndKind): { name: string; many: boolean } | undefined => {
    const diskish = to === "snapshot" || to === "disk" || to === "ext-snapshot";
    const machine = to === "builder" || to === "exchange" || to === "ext-vm";
    const image = to === "image" || to === "version" || to === "ext-image";
    switch (from) {
      case "snapshot":
      case "disk":
        if (diskish || to === "exchange") return { name: "source", many: false };
        if (to === "image" || to === "ext-image") return { name: "image", many: false };
        return to === "version" ? { name: "galleryImage", many: false } : undefined;
      case "image":
        if (machine) return { name: "vm", many: false };
        return diskish ? { name: "disk", many: true } : undefined;
      case "version":
        if (image) return { name: "source", many: false };
        if (machine) return { name: "vm", many: false };
        return diskish ? { name: "disk", many: true } : undefined;
      case "builder":
        return image ? { name: "image", many: false } : undefined;
    }
  };
  for (const [f, t] of raw) {
    const from = f % kinds.length;
    const to = t % (kinds.length + ends.length);
    const s = slot(kinds[from], kindOf(to));
    if (!s) continue;
    const used = taken.get(from) ?? new Set<string>();
    if (!s.many && used.has(s.name)) continue;
    used.add(s.name);
    taken.set(from, used);
    const list = edges.get(from) ?? [];
    if (!list.includes(to)) list.push(to);
    edges.set(from, list);
  }
  const starts = [...kinds.keys()].filter((i) => kinds[i] === "image" || kinds[i] === "version");
  if (starts.length === 0) return undefined;
  return { kinds, ends, edges, start: starts[start % starts.length] };
}

/** The wired graph as azure-native resources, in the form asked for; returns the rebuilt host's VM. */
function build(w: Wired, preview: boolean): { e: Estate; vm: Res } {
  const e = new Estate({ preview });
  const l = new Lineage(e);
  const gi = l.galleryImage(l.gallery("g"), "gi");
  const K = w.kinds.length;
  const exchange = w.ends.map((k, j) => (k === "exchange" ? l.vm(`xa${j}`) : undefined));
  const name = (i: number) => ({ snapshot: `s${i}`, disk: `d${i}`, image: `img${i}`, version: `1.0.${i}`, builder: `b${i}` })[w.kinds[i]];
  const stubs = w.kinds.map((k, i): Res => {
    const [type, pulumiName, id] = {
      snapshot: ["azure-native:compute:Snapshot", name(i), l.compute("snapshots", name(i))],
      disk: ["azure-native:compute:Disk", name(i), l.compute("disks", name(i))],
      image: ["azure-native:compute:Image", name(i), l.compute("images", name(i))],
      version: [
        "azure-native:compute:GalleryImageVersion",
        `${gi.name}-${name(i)}`,
        l.compute("galleries", "g", "images", "gi", "versions", name(i)),
      ],
      builder: ["azure-native:compute:VirtualMachine", name(i), l.compute("virtualMachines", name(i))],
    }[k];
    return { urn: e.urn(type, pulumiName), type, name: pulumiName, properties: {}, armId: id };
  });
  const other = (kind: string, j: number) => `/subscriptions/${e.sub}/resourceGroups/rg-other/providers/Microsoft.Compute/${kind}/ext${j}`;
  /** What a field holding a reference to `t` says: the stub (by id or dependency), or a literal id. */
  const src = (t: number, asDisk: boolean): Source => {
    if (t < K) return stubs[t];
    const j = t - K;
    switch (w.ends[j]) {
      case "exchange":
        // A disk field names the host's OS disk: by id once deployed, through a dependency on the VM at preview.
        return asDisk && !preview ? l.compute("disks", `xa${j}-osdisk`) : exchange[j]!;
      case "ext-snapshot":
        return other("snapshots", j);
      case "ext-image":
        return other("images", j);
      case "ext-vm":
        return other("virtualMachines", j);
    }
  };
  const isMachine = (t: number) => (t < K ? w.kinds[t] === "builder" : w.ends[t - K] === "exchange" || w.ends[t - K] === "ext-vm");
  const isImage = (t: number) => (t < K ? w.kinds[t] === "image" || w.kinds[t] === "version" : w.ends[t - K] === "ext-image");
  w.kinds.forEach((k, i) => {
    const out = w.edges.get(i) ?? [];
    if (k === "snapshot" || k === "disk") {
      const c = {
        source: out.filter((t) => !isImage(t)).map((t) => src(t, true))[0],
        image: out.filter((t) => isImage(t) && (t >= K || w.kinds[t] === "image")).map((t) => src(t, false))[0],
        galleryImage: out.filter((t) => t < K && w.kinds[t] === "version").map((t) => src(t, false))[0],
      };
      if (k === "snapshot") l.snapshot(name(i), c);
      else l.disk(name(i), c);
    } else if (k === "image" || k === "version") {
      const vmT = out.find(isMachine);
      const disks = out.filter((t) => !isMachine(t) && !isImage(t));
      const sourceT = out.find(isImage);
      if (k === "image") {
        const asDisk = (t: number): ImageDisk => (t < K && w.kinds[t] === "disk" ? { disk: src(t, true) } : { snapshot: src(t, true) });
        l.image(name(i), {
          vm: vmT === undefined ? undefined : src(vmT, false),
          os: disks.length > 0 ? asDisk(disks[0]) : undefined,
          data: disks.slice(1).map(asDisk),
        });
      } else {
        l.version(gi, name(i), {
          source: sourceT === undefined ? undefined : src(sourceT, false),
          vm: vmT === undefined ? undefined : src(vmT, false),
          os: disks.length > 0 ? src(disks[0], true) : undefined,
          data: disks.length > 1 ? disks.slice(1).map((t) => src(t, true)) : undefined,
        });
      }
    } else {
      const imageT = out.find(isImage);
      l.builder(name(i), imageT === undefined ? undefined : src(imageT, false));
    }
  });
  return { e, vm: l.vm("rebuilt", stubs[w.start]) };
}

const lineages = fc
  .record({
    kinds: fc.array(fc.constantFrom<Kind>("snapshot", "disk", "image", "version", "builder"), { minLength: 1, maxLength: 16 }),
    ends: fc.array(fc.constantFrom<EndKind>("exchange", "exchange", "ext-snapshot", "ext-image", "ext-vm"), { minLength: 1, maxLength: 3 }),
    raw: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 40 }),
    start: fc.nat(),
  })
  .map(({ kinds, ends, raw, start }) => wire(kinds, ends, raw, start))
  .filter((w): w is Wired => w !== undefined);

describe.each([
  ["update", false],
  ["preview", true],
])("the whole model against reachability over the wired links (%s form)", (_form, preview) => {
  it("descends exactly when an Exchange host is reachable, untraceable (with a compromised host) exactly when only an outside id is, by shortest chains", () => {
    fc.assert(
      fc.property(lineages, (w) => {
        const { e, vm } = build(w, preview);
        const graph = new ResourceGraph(toInputs(e.resources));
        const inventory = new HostInventory(graph, new NetworkModel(graph), DEFAULT_HOST_TAGS);
        const host = inventory.hosts.find((h) => h.urn === vm.urn)!;
        const judge = (witness: boolean) => new ProvenanceIndex(graph, inventory.hosts, witness ? [{ host: "x", by: "tag" }] : [], []).of(host);

        const K = w.kinds.length;
        const HOST = -1;
        const adj = new Map<number, readonly number[]>([[HOST, [w.start]], ...w.edges]);
        const exchange = new Set(w.ends.flatMap((k, j) => (k === "exchange" ? [K + j] : [])));
        const outside = new Set(w.ends.flatMap((k, j) => (k !== "exchange" ? [K + j] : [])));
        const toExchange = bruteDistance(adj, HOST, exchange);
        const toOutside = bruteDistance(adj, HOST, outside);

        const silent = judge(false);
        const loud = judge(true);
        if (toExchange !== undefined) {
          expect(silent?.kind).toBe("descends");
          expect(loud).toEqual(silent);
          // Hops: the host, every resource on the way (those a long chain leaves out counted), and the resource it ends at.
          expect(silent!.chain.length + (silent!.elided?.count ?? 0)).toBe(toExchange + 1);
        } else {
          expect(silent).toBeUndefined();
          if (toOutside === undefined) expect(loud).toBeUndefined();
          else {
            expect(loud?.kind).toBe("untraceable");
            // Hops: the host and every resource on the way; the last one's field names the outside id.
            expect(loud!.chain.length + (loud!.elided?.count ?? 0)).toBe(toOutside);
          }
        }
      }),
      { numRuns: runs(300) },
    );
  });
});
