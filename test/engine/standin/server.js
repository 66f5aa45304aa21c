"use strict";
// A resource provider over the engine's gRPC protocol, for stand-ins of providers that cannot run here (azure-native
// needs Azure credentials and cannot be built from any registry; random is not worth building). Plain JS, started by a
// launcher script the engine runs as `pulumi-resource-<name>`, so no ts-node start-up per provider.
//
// Unlike `pulumi.provider.main`, it answers Configure with supportsPreview, so the engine calls Create during a
// preview and the pack sees what a real provider sends: the program's inputs, with ids and the outputs the cloud
// computes left unknown.
const grpc = require("@grpc/grpc-js");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
const providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const providerPb = require("@pulumi/pulumi/proto/provider_pb");
const pluginPb = require("@pulumi/pulumi/proto/plugin_pb");

/** The engine's wire sentinel for a value not known yet (the SDK's `unknownValue`). */
const UNKNOWN = require("@pulumi/pulumi/runtime/rpc").unknownValue;

function unimplemented(callback, what) {
  callback({ code: grpc.status.UNIMPLEMENTED, details: `${what} is not implemented by this stand-in` });
}

function failure(callback, e) {
  callback({ code: grpc.status.UNKNOWN, details: e instanceof Error ? e.message : String(e) });
}

function stableJson(v) {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/**
 * @param {object} p
 * @param {string} p.version  the plugin version (the SDK package's, so the engine's version check holds)
 * @param {(type: string, name: string, inputs: object) => string} p.id  the id a created resource gets
 * @param {(type: string, name: string, inputs: object, id: string | undefined) => object} p.outputs
 *   the resource's outputs: its inputs plus what the provider computes; called with id undefined during a preview,
 *   where every computed value must be UNKNOWN
 * @param {(type: string, olds: object, news: object) => string[]} [p.replaces]  top-level keys whose change replaces
 * @param {(type: string, name: string, inputs: object, id: string) => void} [p.created]  after a real create
 * @param {(type: string, name: string, inputs: object, id: string) => void} [p.updated]  after a real update
 * @param {(type: string, id: string, props: object) => void} [p.deleted]  at a real delete; throw to refuse it
 * @param {(token: string, args: object) => object} [p.invoke]  functions; throw to fail like the real provider
 * @param {(type: string, name: string, urn: string, news: object, olds: object) => object} [p.check]  the checked inputs
 */
function serve(p) {
  const nameOf = (urn) => urn.split("::").pop();
  const typeOf = (urn) => urn.split("::")[2].split("$").pop();
  const outputs = (urn, inputs, id) => p.outputs(typeOf(urn), nameOf(urn), inputs, id);
  const impl = {
    getPluginInfo(_call, callback) {
      const resp = new pluginPb.PluginInfo();
      resp.setVersion(p.version);
      callback(null, resp);
    },
    getSchema(_call, callback) {
      const resp = new providerPb.GetSchemaResponse();
      resp.setSchema("{}");
      callback(null, resp);
    },
    checkConfig: (_c, cb) => unimplemented(cb, "CheckConfig"),
    diffConfig: (_c, cb) => unimplemented(cb, "DiffConfig"),
    configure(_call, callback) {
      const resp = new providerPb.ConfigureResponse();
      resp.setAcceptsecrets(true);
      resp.setSupportspreview(true);
      callback(null, resp);
    },
    check(call, callback) {
      const req = call.request;
      const resp = new providerPb.CheckResponse();
      if (p.check) {
        const urn = req.getUrn();
        const olds = req.getOlds()?.toJavaScript() ?? {};
        resp.setInputs(Struct.fromJavaScript(p.check(typeOf(urn), nameOf(urn), urn, req.getNews().toJavaScript(), olds)));
      } else resp.setInputs(req.getNews());
      callback(null, resp);
    },
    diff(call, callback) {
      const req = call.request;
      const olds = (req.getOldInputs() ?? req.getOlds()).toJavaScript();
      const news = req.getNews().toJavaScript();
      const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => stableJson(olds[k]) !== stableJson(news[k]));
      const resp = new providerPb.DiffResponse();
      resp.setChanges(changed.length > 0 ? providerPb.DiffResponse.DiffChanges.DIFF_SOME : providerPb.DiffResponse.DiffChanges.DIFF_NONE);
      resp.setDiffsList(changed);
      resp.setReplacesList(p.replaces ? p.replaces(typeOf(req.getUrn()), olds, news).filter((k) => changed.includes(k)) : []);
      callback(null, resp);
    },
    create(call, callback) {
      try {
        const req = call.request;
        const urn = req.getUrn();
        const inputs = req.getProperties().toJavaScript();
        const resp = new providerPb.CreateResponse();
        if (req.getPreview()) {
          resp.setProperties(Struct.fromJavaScript(outputs(urn, inputs, undefined)));
        } else {
          const id = p.id(typeOf(urn), nameOf(urn), inputs);
          p.created?.(typeOf(urn), nameOf(urn), inputs, id);
          resp.setId(id);
          resp.setProperties(Struct.fromJavaScript(outputs(urn, inputs, id)));
        }
        callback(null, resp);
      } catch (e) {
        failure(callback, e);
      }
    },
    read(call, callback) {
      const req = call.request;
      const resp = new providerPb.ReadResponse();
      resp.setId(req.getId());
      resp.setProperties(req.getProperties());
      resp.setInputs(req.getInputs());
      callback(null, resp);
    },
    update(call, callback) {
      try {
        const req = call.request;
        const urn = req.getUrn();
        const news = req.getNews().toJavaScript();
        const resp = new providerPb.UpdateResponse();
        if (!req.getPreview()) p.updated?.(typeOf(urn), nameOf(urn), news, req.getId());
        resp.setProperties(Struct.fromJavaScript(outputs(urn, news, req.getPreview() ? undefined : req.getId())));
        callback(null, resp);
      } catch (e) {
        failure(callback, e);
      }
    },
    delete(call, callback) {
      try {
        const req = call.request;
        p.deleted?.(typeOf(req.getUrn()), req.getId(), req.getProperties()?.toJavaScript() ?? {});
        callback(null, new Empty());
      } catch (e) {
        failure(callback, e);
      }
    },
    invoke(call, callback) {
      try {
        if (!p.invoke) throw new Error(`function ${call.request.getTok()} is not known to this stand-in`);
        const resp = new providerPb.InvokeResponse();
        resp.setReturn(Struct.fromJavaScript(p.invoke(call.request.getTok(), call.request.getArgs()?.toJavaScript() ?? {})));
        callback(null, resp);
      } catch (e) {
        failure(callback, e);
      }
    },
    cancel: (_c, cb) => cb(null, new Empty()),
    attach: (_c, cb) => cb(null, new Empty()),
  };
  const server = new grpc.Server();
  server.addService(providerRpc.ResourceProviderService, impl);
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) {
      process.stderr.write(`stand-in provider failed to listen: ${err.message}\n`);
      process.exit(1);
    }
    // The engine reads the port from the first line of stdout.
    process.stdout.write(`${port}\n`);
  });
}

module.exports = { serve, UNKNOWN };
