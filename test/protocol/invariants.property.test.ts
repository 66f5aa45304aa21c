/**
 * Invariants of the policy pack, checked by property-based tests THROUGH THE ENGINE INTERFACE:
 * generated azure-native resource sets (test/support/arbitraries.ts) with random nulls, wrong
 * types, empty and huge arrays, deep junk, unknown sentinels and secret envelopes in any position
 * are sent to ONE pack process over gRPC (AnalyzeStack once, Analyze per resource), as the
 * engine does at `pulumi preview`.
 *
 *  1. no RPC error and no crash: every call answers, the process stays alive, no rule fails
 *     internally ("internal error"), and the next call works;
 *  2. no diagnostic message contains the plaintext of a value sent as a secret;
 *  3. no mandatory policy reports at advisory because of an unknown ("can't run", "during
 *     preview"), and every diagnostic of a policy configured mandatory is mandatory;
 *  4. monotonic under unknowns: replacing known values (leaves, or whole lists/objects) by unknown
 *     sentinels never turns a violation into a pass: every (policy, URN) with a mandatory
 *     diagnostic on the original still has one on the mutated case;
 *  5. monotonic under exposure: adding a path (public IP on the host NIC, allow-all inbound at
 *     priority 100 on its NSGs, membership in a public LB pool, a Firewall DNAT rule to its private
 *     IP) to a host that is not verified never turns a violation into a pass, and the host then has
 *     a mandatory exchange-unverified-not-internet-exposed violation whenever the added path is
 *     open by construction. EXCLUSION (documented in `exposureMustOpen`): a Standard public IP or
 *     Standard LB on a host with no NSG at all is closed in Azure, so no violation is expected;
 *     with NSGs and no allow-all rule, openness depends on the random rules (monotonicity only).
 *
 * Property 1–3 checks invariants 1, 2 and 3 on every case; properties 4 and 5 check invariants 1
 * and 3 on both variants of every case, plus their own (not 2, so that a leak, a bug of its own,
 * does not hide a monotonicity failure). The one substitution allowed in 4 and 5 is documented at
 * `lostPairs` (a client-ports violation of a host that stops being verified becomes its stricter
 * not-internet-exposed violation).
 *
 * Runs are seeded and replayable: INVARIANTS_SEED=<n> (default below) and INVARIANTS_RUNS=<k>
 * (multiplier on the per-property run counts). On failure fast-check prints the seed, the
 * counterexample path and the shrunk spec; the message shows the resources and what was changed.
 * Shrinking is capped (INVARIANTS_SHRINK_MS, default 8 s per property): each step is a full
 * round trip to the pack. With the default counts the file takes about 50–65 s on 2 cores.
 */
import fc from "fast-check";
import type { Diagnostic, EngineResource } from "../../cli/packDriver/analyzerClient";
import {
  applyCorruptions,
  applyUnknowns,
  buildEstate,
  cloneResources,
  corruptionsArb,
  estateSpecArb,
  exposureArb,
  exposureMustOpen,
  POLICY_CONFIG,
  sentSecrets,
  shows,
  specUnverified,
  unknownSwapArb,
  type Applied,
} from "../support/arbitraries";
import { alive, POLICY, summary, useSession } from "./helpers";

const SEED = Number(process.env.INVARIANTS_SEED ?? 20261126);
const SCALE = Number(process.env.INVARIANTS_RUNS ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));

const session = useSession(JSON.stringify(POLICY_CONFIG));

/** Judged resource sets per invariant (each original and each mutated variant counts once). */
const checked = { noCrash: 0, noSecret: 0, noDowngrade: 0, unknownMonotone: 0, exposureMonotone: 0, exposureOpen: 0, exposureExcluded: 0 };

interface Judged {
  readonly stack: Diagnostic[];
  readonly resource: Diagnostic[];
  readonly all: Diagnostic[];
  /** Analyze diagnostics by the exact resource sent (its JSON), for reuse by the variant of the same case. */
  readonly analyzed: Map<string, Diagnostic[]>;
}

/** Runs `f` over `items` with at most `limit` calls in flight (the engine analyses resources concurrently). */
async function mapLimit<T, R>(items: readonly T[], limit: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]);
      }
    }),
  );
  return out;
}

function describeCase(resources: readonly EngineResource[], applied: readonly Applied[] = []): string {
  const changes = applied.map((a) => `  ${a.kind} at ${a.urn.split("::").pop()}.${a.path.join(".")}`).join("\n");
  const names = resources.map((r) => r.urn.split("::").slice(-2).join("::")).join(", ");
  return `resources: ${names}${changes ? `\nchanges:\n${changes}` : ""}`;
}

/**
 * Invariant 1: AnalyzeStack once, Analyze for every resource; any RPC error, a dead process or an
 * internal error in a rule fails the case.
 */
async function judge(resources: readonly EngineResource[], context: () => string, reuse?: Judged): Promise<Judged> {
  const s = session();
  let stack: Diagnostic[];
  let resource: Diagnostic[];
  const analyzed = new Map<string, Diagnostic[]>();
  try {
    stack = (await s.client.analyzeStack(resources)).diagnostics;
    // Analyze is a function of the one resource (and the config): a resource the variant did not
    // change was already sent in the original of the same case, and its answer is reused.
    const per = await mapLimit(resources, 8, async (r) => {
      const key = JSON.stringify(r);
      const known = reuse?.analyzed.get(key);
      const ds = known ?? (await s.client.analyze(r)).diagnostics.map((d) => ({ ...d, urn: d.urn || r.urn }));
      analyzed.set(key, ds);
      return ds;
    });
    resource = per.flat();
  } catch (e) {
    throw new Error(`invariant 1: an RPC failed (${(e as Error).message}); pack alive: ${alive(s.pid)}\n${context()}`);
  }
  if (!alive(s.pid)) throw new Error(`invariant 1: the pack process (pid ${s.pid}) died\n${context()}`);
  const all = [...stack, ...resource];
  const internal = all.filter((d) => /internal error/i.test(d.message));
  if (internal.length > 0) throw new Error(`invariant 1: a rule crashed on this input:\n${summary(internal)}\n${context()}`);
  checked.noCrash++;
  return { stack, resource, all, analyzed };
}

/** Invariant 2. */
function expectNoSecretShown(j: Judged, resources: readonly EngineResource[], context: () => string): void {
  const plaintexts = sentSecrets(resources);
  for (const d of j.all) {
    const leaked = plaintexts.filter((p) => shows(d.message, p));
    if (leaked.length > 0) {
      throw new Error(
        `invariant 2: a diagnostic of ${d.policyName} (${d.urn}) shows secret plaintext ${JSON.stringify(leaked)}:\n${d.message}\n${context()}`,
      );
    }
  }
  checked.noSecret++;
}

/** Invariant 3. */
function expectNoDowngrade(j: Judged, context: () => string): void {
  const config = session().config;
  const bad = j.all.filter(
    (d) =>
      /can't run/i.test(d.message) ||
      /during preview/i.test(d.message) ||
      (config[d.policyName]?.enforcementLevel === "mandatory" && d.enforcementLevel !== "mandatory"),
  );
  if (bad.length > 0) throw new Error(`invariant 3: a mandatory policy was downgraded:\n${summary(bad)}\n${context()}`);
  checked.noDowngrade++;
}

/** Invariants 1–3 on one resource set. */
async function judgeAll(resources: readonly EngineResource[], context: () => string): Promise<Judged> {
  const j = await judge(resources, context);
  expectNoSecretShown(j, resources, context);
  expectNoDowngrade(j, context);
  return j;
}

/**
 * Invariants 1 and 3 on one resource set, for the monotonicity properties. Invariant 2 is left to
 * the first property so that a secret shown in a message (a bug of its own) does not stop them
 * before they reach the monotonicity they are about.
 */
async function judgeForMonotonicity(resources: readonly EngineResource[], context: () => string, reuse?: Judged): Promise<Judged> {
  const j = await judge(resources, context, reuse);
  expectNoDowngrade(j, context);
  return j;
}

/** (policy, URN) pairs with a mandatory diagnostic. */
function mandatoryPairs(ds: readonly Diagnostic[]): Map<string, Diagnostic> {
  const out = new Map<string, Diagnostic>();
  for (const d of ds) if (d.enforcementLevel === "mandatory") out.set(`${d.policyName} @ ${d.urn}`, d);
  return out;
}

/**
 * The mandatory (policy, URN) pairs of `before` that `after` lacks.
 *
 * One substitution, from docs/contract.md#verified-hosts-the-gate: exchange-verified-exposes-only-client-ports and
 * exchange-unverified-not-internet-exposed are the two halves of one exposure rule, split by the
 * gate ("only a verified host may be reachable from the internet, and only on allowed client
 * ports"). An unknown that makes a verified host's verification undecidable makes it NOT verified
 * (fail closed), so its client-ports violation is rightly reported as the stricter
 * not-internet-exposed violation (all ports) on the same host. That is not a pass; any other
 * disappearance is.
 */
function lostPairs(before: readonly Diagnostic[], after: readonly Diagnostic[]): Diagnostic[] {
  const now = mandatoryPairs(after);
  return [...mandatoryPairs(before)]
    .filter(([k, d]) => !now.has(k) && !(d.policyName === POLICY.clientPorts && now.has(`${POLICY.notExposed} @ ${d.urn}`)))
    .map(([, d]) => d);
}

/** The pack still judges correctly after the run: a known offender is still blocked. */
async function expectStillJudging(): Promise<void> {
  const { e, hosts } = buildEstate({
    preview: true,
    lbSku: "Standard",
    hosts: [
      {
        state: "unverified",
        assessment: "none",
        nicRules: null,
        subnetRules: null,
        pip: "Basic",
        lbPool: false,
        nicTagged: true,
        snapshot: false,
        upperTags: false,
      },
    ],
  });
  const j = await judge(e.resources, () => "canary");
  expect(j.stack.some((d) => d.policyName === POLICY.notExposed && d.enforcementLevel === "mandatory" && d.urn === hosts[0].vm.urn)).toBe(true);
}

const TIMEOUT = 120_000;
/** After the first failure, at most this long is spent shrinking (each step is a full gRPC judgement). */
const SHRINK_BUDGET_MS = Number(process.env.INVARIANTS_SHRINK_MS ?? 8_000);

/**
 * Bounds shrinking: once a case has failed and the budget is spent, the remaining shrink
 * candidates are not judged (they count as passing), so fast-check reports the smallest REAL
 * counterexample found so far. Before the first failure this changes nothing.
 */
function shrinkBudget<A extends unknown[]>(body: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  let failedAt: number | undefined;
  return async (...args: A) => {
    if (failedAt !== undefined && Date.now() - failedAt > SHRINK_BUDGET_MS) return;
    try {
      await body(...args);
    } catch (e) {
      failedAt ??= Date.now();
      throw e;
    }
  };
}

describe("pack invariants over gRPC (property-based)", () => {
  afterAll(() => {
    // Judged resource sets per invariant (shrink attempts included when a property fails).
    console.log(`invariant cases (seed ${SEED}): ${JSON.stringify(checked)}`);
  });

  it(
    "1–3: whatever the input, no RPC error or crash, no secret shown, no mandatory policy downgraded",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          estateSpecArb,
          corruptionsArb(1, 5),
          shrinkBudget(async (spec, corruptions) => {
            const resources = cloneResources(buildEstate(spec).e.resources);
            const applied = applyCorruptions(resources, corruptions);
            await judgeAll(resources, () => describeCase(resources, applied));
          }),
        ),
        { numRuns: runs(200), seed: SEED },
      );
      await expectStillJudging();
    },
    TIMEOUT,
  );

  it(
    "4: replacing known values by unknown sentinels never turns a mandatory violation into a pass",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          estateSpecArb,
          corruptionsArb(0, 2),
          fc.array(unknownSwapArb, { minLength: 1, maxLength: 3 }),
          shrinkBudget(async (spec, corruptions, swaps) => {
            const original = cloneResources(buildEstate(spec).e.resources);
            const corrupted = applyCorruptions(original, corruptions);
            const mutated = cloneResources(original);
            const swapped = applyUnknowns(mutated, swaps);
            const before = await judgeForMonotonicity(original, () => describeCase(original, corrupted));
            const after = await judgeForMonotonicity(mutated, () => describeCase(mutated, [...corrupted, ...swapped]), before);
            const lost = lostPairs(before.all, after.all);
            if (lost.length > 0) {
              throw new Error(
                `invariant 4: after ${swapped.map((a) => `${a.urn.split("::").pop()}.${a.path.join(".")}`).join(", ")} became unknown, these mandatory violations are gone:\n${summary(lost)}\n` +
                  `mutated case now reports:\n${summary(after.all.filter((d) => d.enforcementLevel === "mandatory"))}\n${describeCase(mutated, [...corrupted, ...swapped])}`,
              );
            }
            checked.unknownMonotone++;
          }),
        ),
        { numRuns: runs(200), seed: SEED + 1 },
      );
      await expectStillJudging();
    },
    TIMEOUT,
  );

  it(
    "5: adding an internet path to a host that is not verified never turns a violation into a pass, and exposes it",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          estateSpecArb.filter((spec) => spec.hosts.some(specUnverified)),
          exposureArb,
          corruptionsArb(0, 2, { light: true }),
          shrinkBudget(async (spec, exposure, corruptions) => {
            // The target is one of the hosts that are not verified (the spec keeps at least one).
            const unverified = spec.hosts.flatMap((h, i) => (specUnverified(h) ? [i] : []));
            const target = unverified[exposure.host % unverified.length];
            exposure = { ...exposure, host: target };
            const base = buildEstate(spec);
            const exposed = buildEstate(spec, exposure);
            // Corrupt only what is not the target host's (its VM, NIC, NSGs, subnet, public IP, assessment, added path).
            const targetOwn = exposed.hosts[target].own;
            const eligible = (r: EngineResource) => !targetOwn.has(r.urn);
            const original = cloneResources(base.e.resources);
            const mutated = cloneResources(exposed.e.resources);
            const c1 = applyCorruptions(original, corruptions, eligible);
            const c2 = applyCorruptions(mutated, corruptions, eligible);
            const before = await judgeForMonotonicity(original, () => describeCase(original, c1));
            const after = await judgeForMonotonicity(mutated, () => describeCase(mutated, c2), before);
            const lost = lostPairs(before.all, after.all);
            if (lost.length > 0) {
              throw new Error(
                `invariant 5: after adding ${JSON.stringify(exposure)}, these mandatory violations are gone:\n${summary(lost)}\n${describeCase(mutated, c2)}`,
              );
            }
            const vm = exposed.hosts[target].vm;
            const must = exposureMustOpen(spec.hosts[target], exposure);
            if (must.open) {
              const hit = after.stack.some((d) => d.policyName === POLICY.notExposed && d.enforcementLevel === "mandatory" && d.urn === vm.urn);
              if (!hit) {
                throw new Error(
                  `invariant 5: ${vm.name} (${spec.hosts[target].state}, ${must.why}) has no mandatory ${POLICY.notExposed} violation; got:\n${summary(after.stack)}\n${describeCase(mutated, c2)}`,
                );
              }
              checked.exposureOpen++;
            } else if (/excluded/.test(must.why)) {
              checked.exposureExcluded++;
            }
            checked.exposureMonotone++;
          }),
        ),
        { numRuns: runs(200), seed: SEED + 2 },
      );
      await expectStillJudging();
    },
    TIMEOUT,
  );
});
