/**
 * Why a host reads the state it does (policies/model/stateNotes.ts): each reason as a value, and the one sentence the
 * policies print for it, about the VM itself, a TagAtScope's tag set or a NIC.
 */
import {
  HostStateWhy,
  renderHostStateWhy,
  renderTagReading,
  Subject,
  TagReadingWhy,
  THE_NIC,
  THE_SET,
  THE_VM,
} from "../../policies/model/stateNotes";
import { FORMS } from "../support/assertions";
import { Estate, HOST_TAGS, UNKNOWN } from "../support/estate";
import { analyse } from "../support/judge";
import { baseNet, exHost, hostNic } from "../support/networks";

const TAG = "remediation-state";

describe("renderTagReading", () => {
  const reasons: Array<[TagReadingWhy, (s: Subject) => string]> = [
    [{ kind: "tags unreadable", how: "unknown at preview" }, (s) => `${s.its} tags are unknown at preview`],
    [{ kind: "no state tag", tag: TAG }, (s) => `${s.it} has no remediation-state tag`],
    [
      { kind: "state tag unreadable", tag: TAG, how: "malformed (expected a string)" },
      (s) => `${s.its} remediation-state tag is malformed (expected a string)`,
    ],
    [
      { kind: "bad state value", tag: TAG, value: "fixed" },
      (s) => `${s.its} remediation-state tag "fixed" is not unverified, compromised or remediated`,
    ],
    [{ kind: "conflicting state tags", tag: TAG }, (s) => `${s.it} carries conflicting remediation-state tags`],
  ];

  it.each(reasons)("%j, about the VM, the set and the NIC", (why, words) => {
    expect(renderTagReading(why)).toBe(words(THE_VM));
    for (const s of [THE_VM, THE_SET, THE_NIC]) expect(renderTagReading(why, s)).toBe(words(s));
  });

  it.each<[Subject, TagReadingWhy, string]>([
    [THE_VM, { kind: "no state tag", tag: TAG }, "it has no remediation-state tag"],
    [THE_SET, { kind: "tags unreadable", how: "unknown at preview" }, "the set's tags are unknown at preview"],
    [THE_NIC, { kind: "conflicting state tags", tag: "State" }, "the NIC carries conflicting State tags"],
    [
      THE_NIC,
      { kind: "bad state value", tag: TAG, value: "Fixed " },
      `the NIC's remediation-state tag "Fixed " is not unverified, compromised or remediated`,
    ],
  ])("%j: %j → %s", (subject, why, text) => {
    expect(renderTagReading(why, subject)).toBe(text);
  });
});

describe("renderHostStateWhy", () => {
  const tagAtScope = { type: "TagAtScope", name: "tags-ex01" };
  const anywhere = { type: "TagAtScope", name: "tags-any", scope: "its scope is unknown at preview" };

  it.each<[string, HostStateWhy, string]>([
    ["the VM's own tags", { kind: "own tags", why: { kind: "no state tag", tag: TAG } }, "it has no remediation-state tag"],
    [
      "a tag set applied from outside that cannot be read",
      { kind: "applied tags unreadable", by: tagAtScope },
      "the tags TagAtScope tags-ex01 applies cannot be read",
    ],
    [
      "... whose scope cannot be read either",
      { kind: "applied tags unreadable", by: anywhere },
      "the tags TagAtScope tags-any (its scope is unknown at preview) applies cannot be read",
    ],
    [
      "an applied tag set that reads worse",
      { kind: "applied tags read", by: tagAtScope, state: "compromised" },
      "TagAtScope tags-ex01 sets its tags to read compromised",
    ],
    [
      "... with a reason of its own, said of the set",
      { kind: "applied tags read", by: tagAtScope, state: "unverified", why: { kind: "bad state value", tag: TAG, value: "fixed" } },
      `TagAtScope tags-ex01 sets its tags to read unverified (the set's remediation-state tag "fixed" is not unverified, compromised or remediated)`,
    ],
    [
      "own tags against applied ones",
      { kind: "own tags against applied", own: "compromised", by: tagAtScope, applied: "remediated" },
      "its own tags read compromised while TagAtScope tags-ex01 sets remediated: the worse holds",
    ],
    ["tagged as a host from outside", { kind: "tagged as host by", by: tagAtScope }, "TagAtScope tags-ex01 tags it as an Exchange host"],
    [
      "... and then why its state is what it is",
      { kind: "tagged as host by", by: tagAtScope, then: { kind: "applied tags read", by: tagAtScope, state: "remediated" } },
      "TagAtScope tags-ex01 tags it as an Exchange host; TagAtScope tags-ex01 sets its tags to read remediated",
    ],
    ["a NIC whose tags cannot be read", { kind: "NIC tags unreadable", nic: "nic-ex01" }, "the tags of its NIC nic-ex01 cannot be read"],
    ["a NIC that reads worse", { kind: "NIC reads", nic: "nic-ex01", state: "compromised" }, "its NIC nic-ex01 reads compromised"],
    [
      "... with a reason, said of the NIC",
      { kind: "NIC reads", nic: "nic-ex01", state: "compromised", why: { kind: "conflicting state tags", tag: TAG } },
      "its NIC nic-ex01 reads compromised (the NIC carries conflicting remediation-state tags)",
    ],
  ])("%s", (_situation, why, text) => {
    expect(renderHostStateWhy(why)).toBe(text);
  });

  it("nests as deep as the reasons do", () => {
    const inner: HostStateWhy = { kind: "NIC tags unreadable", nic: "nic-ex01" };
    const by = { type: "TagAtScope", name: "t" };
    const twice: HostStateWhy = { kind: "tagged as host by", by, then: { kind: "tagged as host by", by, then: inner } };
    expect(renderHostStateWhy(twice)).toBe(
      "TagAtScope t tags it as an Exchange host; TagAtScope t tags it as an Exchange host; the tags of its NIC nic-ex01 cannot be read",
    );
  });
});

describe.each(FORMS)("a host's note is the rendering of its reason (%s form)", (_form, preview) => {
  const situations: Array<[string, Record<string, string> | string, Record<string, string> | undefined, string | undefined]> = [
    ["a plain remediated tag", HOST_TAGS("remediated"), undefined, undefined],
    ["no state tag", HOST_TAGS(), undefined, "it has no remediation-state tag"],
    [
      "a bad value",
      { workload: "exchange", "remediation-state": "fixed" },
      undefined,
      `its remediation-state tag "fixed" is not unverified, compromised or remediated`,
    ],
    ["an unknown value", { workload: "exchange", "remediation-state": UNKNOWN }, undefined, "its remediation-state tag is unknown at preview"],
    [
      "conflicting tags",
      { workload: "exchange", "remediation-state": "remediated", "Remediation-State": "unverified" },
      undefined,
      "it carries conflicting remediation-state tags",
    ],
    ["a NIC that reads compromised", HOST_TAGS("remediated"), HOST_TAGS("compromised"), "its NIC nic-ex01 reads compromised"],
  ];

  it.each(situations)("%s", (_s, vmTags, nicTags, note) => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nic = hostNic(e, sub, { tags: nicTags ?? { workload: "exchange" } });
    exHost(e, { nics: [nic], tags: vmTags });
    const [h] = analyse(e.resources).hosts;
    expect(h.stateNote).toBe(note);
    expect(h.stateWhy === undefined ? undefined : renderHostStateWhy(h.stateWhy)).toBe(note);
  });
});
