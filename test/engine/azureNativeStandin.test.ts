/**
 * The azure-native stand-in (test/engine/standin/azure-native.js) over the provider protocol, without the CLI: it keeps
 * management locks in its on-disk cloud and refuses to delete what a lock holds as ARM does (409 ScopeLocked, naming the
 * locked scopes), whether the lock is on the resource or on its resource group, while deleting the lock itself works.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { REPO } from "./support/engine";

const providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const providerPb = require("@pulumi/pulumi/proto/provider_pb");

const SUB = "00000000-0000-0000-0000-0000000e9c01";
const RG_ID = `/subscriptions/${SUB}/resourceGroups/rg-exchange`;
const DISK_ID = `${RG_ID}/providers/Microsoft.Compute/disks/ex02-g1-osdisk`;

let dir: string;
let child: ChildProcess;
type Unary = (req: unknown, cb: (e: Error | null, v: unknown) => void) => void;
let client: { create: Unary; delete: Unary; close(): void };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "exg-standin-"));
  child = spawn(process.execPath, [path.join(REPO, "test/engine/standin/azure-native.js")], {
    env: { ...process.env, EXG_STANDIN_CLOUD: path.join(dir, "cloud.json") },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (b: Buffer) => resolve(b.toString().split("\n")[0].trim()));
    child.once("exit", (code) => reject(new Error(`the stand-in exited with ${code}`)));
  });
  client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

afterAll(() => {
  client?.close();
  child?.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

const urn = (type: string, name: string) => `urn:pulumi:incident::exchange-compromise-guard::${type}::${name}`;

function call<T>(method: "create" | "delete", req: unknown): Promise<T> {
  return new Promise((resolve, reject) => client[method].call(client, req, (e, v) => (e ? reject(e) : resolve(v as T))));
}

/** Creates a resource for real (not a preview) and returns its id. */
async function create(type: string, name: string, inputs: Record<string, unknown>): Promise<string> {
  const req = new providerPb.CreateRequest();
  req.setUrn(urn(type, name));
  req.setProperties(Struct.fromJavaScript(inputs as never));
  const resp = await call<{ getId(): string }>("create", req);
  return resp.getId();
}

function remove(type: string, name: string, id: string): Promise<unknown> {
  const req = new providerPb.DeleteRequest();
  req.setUrn(urn(type, name));
  req.setId(id);
  req.setProperties(Struct.fromJavaScript({}));
  return call("delete", req);
}

const cloud = () => JSON.parse(fs.readFileSync(path.join(dir, "cloud.json"), "utf8")) as Record<string, { id: string }>;
const exists = (id: string) => cloud()[id.toLowerCase()] !== undefined;

const SNAPSHOT = "azure-native:compute:Snapshot";
const LOCK = "azure-native:authorization:ManagementLockByScope";

async function evidence(name: string): Promise<string> {
  fs.writeFileSync(
    path.join(dir, "cloud.json"),
    JSON.stringify({ ...cloud(), [DISK_ID.toLowerCase()]: { type: "azure-native:compute:Disk", id: DISK_ID } }),
  );
  return create(SNAPSHOT, name, {
    resourceGroupName: "rg-exchange",
    snapshotName: name,
    creationData: { createOption: "Copy", sourceResourceId: DISK_ID },
  });
}

beforeEach(() => fs.writeFileSync(path.join(dir, "cloud.json"), "{}"));

it("deleting a snapshot under a CanNotDelete lock fails with ARM's 409 ScopeLocked; once the lock is deleted, it goes", async () => {
  const snap = await evidence("ex02-g1-osdisk-evidence");
  const lock = await create(LOCK, "ex02-g1-osdisk-evidence-lock", { scope: snap, lockName: "evidence", level: "CanNotDelete" });
  expect(lock).toBe(`${snap}/providers/Microsoft.Authorization/locks/evidence`);

  await expect(remove(SNAPSHOT, "ex02-g1-osdisk-evidence", snap)).rejects.toThrow(
    `Status=409 Code="ScopeLocked" Message="The scope '${snap}' cannot perform delete operation because following scope(s) are locked: '${snap}'. Please remove the lock and try again."`,
  );
  expect(exists(snap)).toBe(true);

  await remove(LOCK, "ex02-g1-osdisk-evidence-lock", lock);
  expect(exists(lock)).toBe(false);
  await remove(SNAPSHOT, "ex02-g1-osdisk-evidence", snap);
  expect(exists(snap)).toBe(false);
});

it("a lock on the resource group holds every resource in it, and the group itself", async () => {
  const rg = await create("azure-native:resources:ResourceGroup", "rg-exchange", { resourceGroupName: "rg-exchange", location: "westeurope" });
  expect(rg).toBe(RG_ID);
  const snap = await evidence("ex02-g1-osdisk-evidence");
  const lock = await create(LOCK, "rg-lock", { scope: rg, lockName: "rg-lock", level: "CanNotDelete" });
  await expect(remove(SNAPSHOT, "ex02-g1-osdisk-evidence", snap)).rejects.toThrow(`are locked: '${RG_ID}'`);
  await expect(remove("azure-native:resources:ResourceGroup", "rg-exchange", rg)).rejects.toThrow(/ScopeLocked/);
  await remove(LOCK, "rg-lock", lock);
  await remove(SNAPSHOT, "ex02-g1-osdisk-evidence", snap);
  expect(exists(snap)).toBe(false);
});

it("a resource group that holds a locked resource cannot be deleted either; a resource no lock holds can", async () => {
  const rg = await create("azure-native:resources:ResourceGroup", "rg-exchange", { resourceGroupName: "rg-exchange", location: "westeurope" });
  const locked = await evidence("ex02-g1-osdisk-evidence");
  const free = await evidence("ex03-g1-osdisk-evidence");
  await create(LOCK, "ex02-g1-osdisk-evidence-lock", { scope: locked, lockName: "evidence", level: "CanNotDelete" });
  await expect(remove("azure-native:resources:ResourceGroup", "rg-exchange", rg)).rejects.toThrow(`are locked: '${locked}'`);
  await remove(SNAPSHOT, "ex03-g1-osdisk-evidence", free);
  expect(exists(free)).toBe(false);
});
