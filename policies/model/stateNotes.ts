/** Why a tag set reads the state it does, when the tag did not simply say so. */
export type TagReadingWhy =
  | { readonly kind: "tags unreadable"; readonly how: string }
  | { readonly kind: "no state tag"; readonly tag: string }
  | { readonly kind: "state tag unreadable"; readonly tag: string; readonly how: string }
  | { readonly kind: "bad state value"; readonly tag: string; readonly value: string }
  | { readonly kind: "conflicting state tags"; readonly tag: string };

/** The resource a tag set belongs to, as a sentence names it: the VM itself ("it"), a TagAtScope's set, a NIC. */
export interface Subject {
  readonly it: string;
  readonly its: string;
}

export const THE_VM: Subject = { it: "it", its: "its" };
export const THE_SET: Subject = { it: "the set", its: "the set's" };
export const THE_NIC: Subject = { it: "the NIC", its: "the NIC's" };

export function renderTagReading(why: TagReadingWhy, s: Subject = THE_VM): string {
  switch (why.kind) {
    case "tags unreadable":
      return `${s.its} tags are ${why.how}`;
    case "no state tag":
      return `${s.it} has no ${why.tag} tag`;
    case "state tag unreadable":
      return `${s.its} ${why.tag} tag is ${why.how}`;
    case "bad state value":
      return `${s.its} ${why.tag} tag "${why.value}" is not unverified, compromised or remediated`;
    case "conflicting state tags":
      return `${s.it} carries conflicting ${why.tag} tags`;
  }
}

/** A resource that applies tags to a host's VM or NIC from outside (a TagAtScope). */
export interface TagSource {
  readonly type: string;
  readonly name: string;
  /** Set when its scope cannot be read: it may tag any VM; says why. */
  readonly scope?: string;
}

function sourceText(t: TagSource): string {
  return `${t.type} ${t.name}${t.scope ? ` (${t.scope})` : ""}`;
}

/** Why a host is in the state it is, as a value; `renderHostStateWhy` gives the words the policies print. */
export type HostStateWhy =
  | { readonly kind: "own tags"; readonly why: TagReadingWhy }
  | { readonly kind: "applied tags unreadable"; readonly by: TagSource }
  | { readonly kind: "applied tags read"; readonly by: TagSource; readonly state: string; readonly why?: TagReadingWhy }
  | { readonly kind: "own tags against applied"; readonly own: string; readonly by: TagSource; readonly applied: string }
  | { readonly kind: "tagged as host by"; readonly by: TagSource; readonly then?: HostStateWhy }
  | { readonly kind: "NIC tags unreadable"; readonly nic: string }
  | { readonly kind: "NIC reads"; readonly nic: string; readonly state: string; readonly why?: TagReadingWhy };

export function renderHostStateWhy(w: HostStateWhy): string {
  switch (w.kind) {
    case "own tags":
      return renderTagReading(w.why, THE_VM);
    case "applied tags unreadable":
      return `the tags ${sourceText(w.by)} applies cannot be read`;
    case "applied tags read":
      return `${sourceText(w.by)} sets its tags to read ${w.state}${w.why ? ` (${renderTagReading(w.why, THE_SET)})` : ""}`;
    case "own tags against applied":
      return `its own tags read ${w.own} while ${sourceText(w.by)} sets ${w.applied}: the worse holds`;
    case "tagged as host by":
      return `${w.by.type} ${w.by.name} tags it as an Exchange host${w.then ? `; ${renderHostStateWhy(w.then)}` : ""}`;
    case "NIC tags unreadable":
      return `the tags of its NIC ${w.nic} cannot be read`;
    case "NIC reads":
      return `its NIC ${w.nic} reads ${w.state}${w.why ? ` (${renderTagReading(w.why, THE_NIC)})` : ""}`;
  }
}
