// Offline schema checks of Kubernetes objects, two independent sources:
//  1. kubernetes-models (JSON schemas generated from the Kubernetes OpenAPI spec, compiled with ajv): required
//     fields, types, formats, enums. Its schemas allow unknown fields, as the API's OpenAPI does.
//  2. @kubernetes/client-node's generated model classes: the field names of every type, so a misspelt field (such
//     as `livenesProbe`, which the API server would drop or reject under strict field validation) is reported.
// Custom resources: ServiceMonitor through @kubernetes-models/prometheus-operator, Certificate through
// @kubernetes-models/cert-manager (check 1 only).
import * as clientModels from "@kubernetes/client-node/dist/gen/models/all.js";

const CRD_PACKAGES = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "cert-manager.io": "@kubernetes-models/cert-manager",
};

/** Module of the kubernetes-models class for apiVersion + kind, e.g. apps/v1 Deployment. */
function modelModule(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const pkg = CRD_PACKAGES[group] ?? "kubernetes-models";
  return `${pkg}/${group ? group + "/" : ""}${version}/${kind}`;
}

/** Client model type name: apps/v1 Deployment → V1Deployment. */
function clientTypeName(apiVersion, kind) {
  const version = apiVersion.split("/").pop();
  return version[0].toUpperCase() + version.slice(1) + kind;
}

/** Reports fields that the type does not declare, walking nested types, lists and maps. */
function unknownFields(value, typeName, path, out) {
  if (value === null || value === undefined) return;
  let m;
  if ((m = /^Array<(.+)>$/.exec(typeName))) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, m[1], `${path}[${i}]`, out));
    return;
  }
  if ((m = /^\{ \[key: string\]: (.+); \}$/.exec(typeName))) {
    if (typeof value === "object") for (const [k, v] of Object.entries(value)) unknownFields(v, m[1], `${path}.${k}`, out);
    return;
  }
  const model = clientModels[typeName];
  if (typeof model?.getAttributeTypeMap !== "function" || typeof value !== "object" || Array.isArray(value)) return;
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [k, v] of Object.entries(value)) {
    if (!fields.has(k)) out.push(`${path}.${k}: unknown field (${typeName} has no "${k}")`);
    else unknownFields(v, fields.get(k), `${path}.${k}`, out);
  }
}

/** Problems with one object (empty when valid); `where` prefixes each message. */
export async function validateObject(obj, where) {
  if (!obj || typeof obj !== "object" || Array.isArray(obj)) return [`${where}: not a mapping`];
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== "string" || typeof kind !== "string") return [`${where}: apiVersion and kind are required`];
  const name = `${where} (${kind} ${obj.metadata?.name ?? "?"})`;
  let Model;
  try {
    Model = (await import(modelModule(apiVersion, kind)))[kind];
  } catch {
    return [`${name}: no schema for ${apiVersion} ${kind}`];
  }
  const problems = [];
  try {
    new Model(obj).validate();
  } catch (e) {
    const details = e.errors?.map((x) => `${x.instancePath || "/"} ${x.message}`) ?? [e.message];
    for (const d of details) problems.push(`${name}: ${d}`);
  }
  const clientType = clientTypeName(apiVersion, kind);
  if (clientModels[clientType]) {
    const unknown = [];
    unknownFields(obj, clientType, "", unknown);
    for (const u of unknown) problems.push(`${name}: ${u}`);
  }
  return problems;
}
