"use strict";
// Offline stand-in for pulumi-resource-random: RandomPassword/RandomString results are unknown during a preview and
// secret once created, as the real provider marks them; no other output matters to the stacks.
const crypto = require("crypto");
const { serve, UNKNOWN } = require("./server");
const version = require("@pulumi/random/package.json").version;

/** The engine's secret envelope (the SDK's specialSigKey / specialSecretSig). */
const { specialSigKey, specialSecretSig } = require("@pulumi/pulumi/runtime/rpc");
const secret = (value) => ({ [specialSigKey]: specialSecretSig, value });

function generate(inputs) {
  const length = Number(inputs.length ?? 16);
  const alphabet = `abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789${inputs.special === false ? "" : (inputs.overrideSpecial ?? "!@#$%&*()-_=+")}`;
  return Array.from(crypto.randomBytes(length), (b) => alphabet[b % alphabet.length]).join("");
}

serve({
  version,
  id: () => crypto.randomUUID(),
  outputs(type, _name, inputs, id) {
    if (!/^random:index\/random(Password|String):Random(Password|String)$/.test(type)) return { ...inputs };
    const result = id === undefined ? UNKNOWN : generate(inputs);
    return { ...inputs, result: type.endsWith("RandomPassword") && id !== undefined ? secret(result) : result };
  },
  // Any change of a random resource's inputs makes a new value, as the real provider's ForceNew arguments do.
  replaces: (_type, olds, news) => Object.keys({ ...olds, ...news }),
});
