/** Shared builders for the exposure unit tests: run the model on an Estate and look at one host's routes. */
import { INTERNET } from "../../../policies/model/addresses";
import { describeService } from "../../../policies/model/describe";
import { openToInternet, OpenRoute, RouteToHost } from "../../../policies/model/exposure";
import { StackAnalysis } from "../../../policies/model/analysis";
import { Estate, Res, rule } from "../../support/estate";
import { analyse } from "../../support/judge";
import { baseNet, exHost, hostNic } from "../../support/networks";

export function analysisOf(e: Estate): StackAnalysis {
  return analyse(e.resources);
}

/** Every route to the host named `name` (ex01 by default). */
export function routesOf(e: Estate, name = "ex01"): RouteToHost[] {
  const a = analysisOf(e);
  const host = a.hosts.find((h) => h.name === name);
  if (!host) throw new Error(`no host ${name}`);
  return a.exposure.routes(host);
}

/** Routes of one kind. */
export function routesOfKind(e: Estate, kind: RouteToHost["kind"], name = "ex01"): RouteToHost[] {
  return routesOf(e, name).filter((r) => r.kind === kind);
}

/** What of each route the whole internet reaches. */
export function openRoutes(routes: readonly RouteToHost[]): OpenRoute[] {
  return routes.map((r) => openToInternet(r, INTERNET)).filter((o): o is OpenRoute => o !== undefined);
}

/** "TCP 443" for the grants of a route. */
export function service(r: { grants: RouteToHost["grants"] }): string {
  return describeService(r.grants);
}

/** An NSG allowing everything from `*` inbound (so the route's own query decides what arrives). */
export function openNsg(e: Estate, name = "nsg-open"): Res {
  return e.nsg(name, [rule({ name: "allow-all", priority: 100, source: "*", port: "*", protocol: "*" })]);
}

/** VNet + subnet + host NIC (10.0.1.4) + VM ex01, NIC options passed through. */
export function hostWith(e: Estate, nic: Parameters<typeof hostNic>[2] = {}): { sub: Res; vnet: Res; nic: Res; vm: Res } {
  const { sub, vnet } = baseNet(e);
  const n = hostNic(e, sub, nic);
  const vm = exHost(e, { nics: [n] });
  return { sub, vnet, nic: n, vm };
}
