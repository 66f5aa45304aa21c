"use strict";
// Offline stand-in for pulumi-resource-azure-native, as far as the policy pack and the stacks can notice:
// - preview: outputs are the inputs plus Azure's computed properties (id, name, type, provisioningState, etag, the ids of
//   inline sub-resources, a VM's vmId and OS disk id), every one of them unknown, as azure-native's PreviewOutputs
//   marks response properties the inputs do not give;
// - update: ARM-shaped ids (/subscriptions/…/resourceGroups/…/providers/Microsoft.X/…) and those outputs filled in;
// - a small "cloud" (a JSON file named by EXG_STANDIN_CLOUD, kept across commands) records what exists, so
//   getDisk/getSnapshot answer 404 ResourceNotFound as ARM does, a VM's OS disk lives and dies with it
//   (deleteOption Delete), a Copy snapshot of a disk that is gone fails like Azure's create does, and a resource a
//   management lock holds (its own, or its resource group's) cannot be deleted (409 ScopeLocked) until the lock goes;
// - Check names what the program left unnamed, as azure-native's autonaming does: a top-level resource gets its logical
//   name plus 8 hex digits, a child resource its logical name; a name given before is kept.
// What it does not do: the rest of azure-native's Check (input validation, location defaults, azureApiVersion).
const fs = require("fs");
const path = require("path");
const { serve, UNKNOWN } = require("./server");
const crypto = require("crypto");
const { armIdFor, OFFLINE_SUBSCRIPTION } = require("../../../dist/cli/preview/mockCloud");
const { TYPE_INFO } = require("../../../policies/bin/model/resourceTypes");
// The cloud keeps each resource's ARM body (the inverse of `audit --azure`'s mapping), so tests can list it as Resource Graph would.
const { propsToArm } = require("../../../dist/cli/audit/azure/armShape");
const version = require("@pulumi/azure-native/package.json").version;

const TENANT = "00000000-0000-0000-0000-00000000beef";
const CLOUD = process.env.EXG_STANDIN_CLOUD;

function readCloud() {
  if (!CLOUD || !fs.existsSync(CLOUD)) return {};
  return JSON.parse(fs.readFileSync(CLOUD, "utf8"));
}
function writeCloud(cloud) {
  if (!CLOUD) return;
  fs.mkdirSync(path.dirname(CLOUD), { recursive: true });
  fs.writeFileSync(CLOUD, JSON.stringify(cloud, null, 2));
}
const key = (id) => id.toLowerCase();

function notFound(kind, name, rg) {
  return new Error(
    `Status=404 Code="ResourceNotFound" Message="The Resource 'Microsoft.Compute/${kind}/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"`,
  );
}

// Management locks, as ARM applies them: a lock at a scope holds that resource and everything under it, and deleting a
// resource (or a resource group) that a lock holds, or that holds a lock, fails with 409 ScopeLocked until the lock goes.
const LOCK_ID = /^(.*)\/providers\/Microsoft\.Authorization\/locks\/[^/]+$/i;
function lockedScopes(cloud, id) {
  const k = key(id);
  const related = (scope) => k === scope || k.startsWith(`${scope}/`) || scope.startsWith(`${k}/`);
  return Object.values(cloud)
    .filter((r) => r.lockScope !== undefined && related(key(r.lockScope)))
    .map((r) => r.lockScope);
}
function scopeLocked(id, scopes) {
  return new Error(
    `Status=409 Code="ScopeLocked" Message="The scope '${id}' cannot perform delete operation because following scope(s) are locked: '${scopes.join("', '")}'. Please remove the lock and try again."`,
  );
}

function osDiskIdOf(inputs, vmId) {
  const osDisk = inputs.storageProfile?.osDisk ?? {};
  const rgPrefix = vmId.split("/providers/")[0];
  return `${rgPrefix}/providers/Microsoft.Compute/disks/${osDisk.name ?? `${vmId.split("/").pop()}_OsDisk`}`;
}

/** Inline sub-resources (subnets, securityRules, ipConfigurations, pools, rules, …) get ids from their parent's. */
function withSubResourceIds(inputs, id) {
  const out = { ...inputs };
  for (const [k, v] of Object.entries(inputs)) {
    if (!Array.isArray(v)) continue;
    out[k] = v.map((el) =>
      el && typeof el === "object" && !Array.isArray(el) && typeof el.name === "string" && el.id === undefined
        ? { ...el, id: id === undefined ? UNKNOWN : `${id}/${k}/${el.name}` }
        : el,
    );
  }
  return out;
}

function outputs(type, name, inputs, id) {
  const known = (v) => (id === undefined ? UNKNOWN : v);
  const out = {
    ...withSubResourceIds(inputs, id),
    // azure-native maps the ARM response body, whose `id` is the resource's ARM id, into the outputs.
    id: known(id),
    name: known(id?.split("/").pop()),
    type: known(type.split(":").slice(1).join("/")),
    provisioningState: known("Succeeded"),
    etag: known(`W/"${id ? Buffer.from(id).toString("base64").slice(0, 12) : ""}"`),
  };
  if (type === "azure-native:compute:VirtualMachine") {
    const storage = inputs.storageProfile ?? {};
    const osDisk = storage.osDisk ?? {};
    out.vmId = known(id && `vm-${Buffer.from(id).toString("hex").slice(-32)}`);
    out.storageProfile = {
      ...storage,
      osDisk: { ...osDisk, managedDisk: { ...(osDisk.managedDisk ?? {}), id: known(id && osDiskIdOf(inputs, id)) } },
    };
  }
  return out;
}

/** The input naming each resource type: the model's table, and the resource group's own. */
function nameKeyOf(type) {
  if (type === "azure-native:resources:ResourceGroup") return { key: "resourceGroupName", child: false };
  const info = TYPE_INFO[type];
  return info ? { key: info.nameKey, child: (info.parentKeys ?? []).length > 0 } : undefined;
}

function autoname(type, name, urn, news, olds) {
  const named = nameKeyOf(type);
  if (!named || news[named.key] !== undefined) return news;
  if (typeof olds[named.key] === "string") return { ...news, [named.key]: olds[named.key] };
  const suffix = crypto.createHash("sha256").update(urn).digest("hex").slice(0, 8);
  return { ...news, [named.key]: named.child ? name : `${name}${suffix}` };
}

serve({
  version,
  check: autoname,
  outputs,
  id: (type, name, inputs) => armIdFor({ type, name, inputs, custom: true, provider: "", id: "" }),
  // ARM identity: a resource's names and region cannot change in place.
  replaces: (_type, olds, news) => Object.keys({ ...olds, ...news }).filter((k) => k === "location" || /Name$/.test(k)),
  created(type, _name, inputs, id) {
    const cloud = readCloud();
    if (type === "azure-native:compute:Snapshot" && CLOUD) {
      const source = inputs.creationData?.sourceResourceId;
      if (typeof source === "string" && !cloud[key(source)]) {
        throw new Error(`Status=404 Code="NotFound" Message="Source resource ${source} of snapshot ${id} not found."`);
      }
    }
    cloud[key(id)] = {
      type,
      id,
      arm: propsToArm(type, outputs(type, _name, inputs, id)),
      ...(LOCK_ID.test(id) ? { lockScope: LOCK_ID.exec(id)[1], level: inputs.level } : {}),
    };
    if (type === "azure-native:compute:VirtualMachine") {
      const disk = osDiskIdOf(inputs, id);
      cloud[key(disk)] = { type: "azure-native:compute:Disk", id: disk, managedBy: id };
    }
    writeCloud(cloud);
  },
  updated(type, name, inputs, id) {
    const cloud = readCloud();
    if (cloud[key(id)]) cloud[key(id)].arm = propsToArm(type, outputs(type, name, inputs, id));
    writeCloud(cloud);
  },
  deleted(type, id, props) {
    const cloud = readCloud();
    const locked = LOCK_ID.test(id) ? [] : lockedScopes(cloud, id);
    if (locked.length > 0) throw scopeLocked(id, locked);
    delete cloud[key(id)];
    if (type === "azure-native:compute:VirtualMachine" && props.storageProfile?.osDisk?.deleteOption === "Delete") {
      delete cloud[key(osDiskIdOf(props, id))];
    }
    writeCloud(cloud);
  },
  invoke(token, args) {
    const sub = OFFLINE_SUBSCRIPTION;
    const rg = args.resourceGroupName;
    switch (token) {
      case "azure-native:authorization:getClientConfig":
        return { clientId: "standin", objectId: "standin", subscriptionId: sub, tenantId: TENANT };
      case "azure-native:compute:getDisk":
      case "azure-native:compute:getSnapshot": {
        const kind = token.endsWith("getDisk") ? "disks" : "snapshots";
        const name = kind === "disks" ? args.diskName : args.snapshotName;
        const id = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/${kind}/${name}`;
        const found = readCloud()[key(id)];
        if (!found) throw notFound(kind, name, rg);
        return { id: found.id, name, location: args.location ?? "westeurope" };
      }
      default:
        throw new Error(`function ${token} is not known to the azure-native stand-in`);
    }
  },
});
