// Checks helm/vaecf, k8s/ and docker/Dockerfile without Docker or a cluster, with the Helm and kubectl of
// install-helm.sh. Run from anywhere:
//
//   node scripts/k8s-validate/validate.mjs            # all checks; exit 1 on any failure
//   node scripts/k8s-validate/validate.mjs --files a.yaml ...   # schema-check only the given manifest files (no Helm)
//
// Prints "ok: ..." or "FAIL ..." per check and a closing "N passed, N failed" line.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import { parseAllDocuments, parse as parseYaml } from "yaml";
import dockerfileUtils from "dockerfile-utils";
import { validateObject } from "./k8s-schema.mjs";
import { driftProblems, plainManifests, renderChart } from "./render-chart.mjs";
import { documentValues, table } from "./values-doc.mjs";
import { checkConsistency } from "./consistency.mjs";
import { missingTools, runTool, toolOutput } from "./tools.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const chart = path.join(repo, "helm/vaecf");
const k8sDir = path.join(repo, "k8s");
const rel = (p) => path.relative(repo, p);

let passed = 0;
let failed = 0;
function report(name, problems) {
  if (problems.length) { failed++; for (const p of problems) console.log(`FAIL ${name}: ${p}`); }
  else { passed++; console.log(`ok: ${name}`); }
}

/** Objects of a multi-document YAML text, with YAML syntax errors as problems. */
function parseManifests(text, where) {
  const objects = [];
  const problems = [];
  for (const doc of parseAllDocuments(text)) {
    for (const e of doc.errors) problems.push(`${where}: ${e.message}`);
    const obj = doc.toJS();
    if (obj !== null && obj !== undefined) objects.push(obj);
  }
  return { objects, problems };
}

async function schemaProblems(objects, where) {
  const problems = [];
  for (const obj of objects) problems.push(...(await validateObject(obj, where)));
  return problems;
}

async function checkFiles(files) {
  for (const f of files) {
    const { objects, problems } = parseManifests(fs.readFileSync(f, "utf8"), f);
    report(`schema ${f}`, [...problems, ...(await schemaProblems(objects, f))]);
  }
}

async function main(argv) {
  if (argv[0] === "--files") await checkFiles(argv.slice(1));
  else await checkRepository();
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

async function checkRepository() {
  process.chdir(repo); // Helm and kubectl get repository-relative paths, so that their messages name files briefly.
  const notInstalled = missingTools();
  if (notInstalled.length) return report("Helm and kubectl are installed", notInstalled);
  const schema = JSON.parse(fs.readFileSync(path.join(chart, "values.schema.json"), "utf8"));
  const validateValues = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

  // 1. Every values file (defaults, then each ci/*-values.yaml over them): schema, rendering, Kubernetes schemas.
  const valueSets = [["default values", []]];
  for (const f of fs.readdirSync(path.join(chart, "ci")).filter((f) => f.endsWith(".yaml")).sort()) {
    valueSets.push([`ci/${f}`, [path.join(chart, "ci", f)]]);
  }
  const defaults = parseYaml(fs.readFileSync(path.join(chart, "values.yaml"), "utf8"));
  for (const [name, valueFiles] of valueSets) {
    const values = valueFiles.reduce((v, f) => mergeValues(v, parseYaml(fs.readFileSync(f, "utf8"))), defaults);
    report(`values.schema.json accepts ${name}`,
      validateValues(values) ? [] : validateValues.errors.map((e) => `${e.instancePath || "/"} ${e.message}`));
    const valueArgs = valueFiles.flatMap((f) => ["-f", rel(f)]);
    report(`helm lint --strict with ${name}`, helmProblems(["lint", "--strict", "--quiet", rel(chart), ...valueArgs]));
    let manifests;
    try {
      manifests = renderChart(rel(chart), { valueFiles: valueFiles.map(rel) });
    } catch (e) {
      report(`helm template with ${name}`, [e.message]);
      continue;
    }
    const objects = [];
    const problems = [];
    for (const m of manifests) {
      const parsed = parseManifests(m.text, `templates/${m.template}`);
      objects.push(...parsed.objects);
      problems.push(...parsed.problems, ...(await schemaProblems(parsed.objects, `templates/${m.template}`)));
    }
    report(`chart rendered with ${name}: ${objects.length} objects valid against the Kubernetes API schemas`, problems);
    report(`chart rendered with ${name}: names, selectors, ports and references agree`, checkConsistency(objects));
  }

  // 2. values.schema.json must reject what it promises to reject (a schema that accepts everything passes step 1).
  const bad = [["silo.clustering", { silo: { clustering: "Localhost" } }], ["silo.torch.device", { silo: { torch: { device: "gpu" } } }],
    ["silo.storage.provider", { silo: { storage: { provider: "S3" } } }], ["unknown key", { silo: { replica: 3 } }],
    ["external Redis without host", { redis: { enabled: false } }]];
  const accepted = bad.filter(([, over]) => validateValues(mergeValues(defaults, over))).map(([n]) => `accepted a bad ${n}`);
  report("values.schema.json rejects bad values (Localhost clustering, device gpu, provider S3, unknown key, external Redis without host)", accepted);
  const helmAccepted = bad.filter(([, over]) => !helmProblems(["template", "vaecf", rel(chart), "--set-json", setJson(over)]).length)
    .map(([n]) => `helm template accepted a bad ${n}`);
  report("helm template rejects the same bad values", helmAccepted);

  // 3. k8s/ is the chart rendered by helm template with default values, and every file in it is valid.
  const present = fs.readdirSync(k8sDir).filter((f) => f.endsWith(".yaml"));
  let drift;
  try { drift = driftProblems(rel(k8sDir), plainManifests(rel(chart))); } catch (e) { drift = [e.message]; }
  report("k8s/ equals helm template with default values (to update: scripts/validate-deployment.sh --write)", drift);
  const k8sObjects = [];
  const k8sProblems = [];
  for (const f of present) {
    const parsed = parseManifests(fs.readFileSync(path.join(k8sDir, f), "utf8"), `k8s/${f}`);
    k8sObjects.push(...parsed.objects);
    k8sProblems.push(...parsed.problems, ...(await schemaProblems(parsed.objects, `k8s/${f}`)));
  }
  report(`k8s/: ${k8sObjects.length} objects in ${present.length} files valid against the Kubernetes API schemas`, k8sProblems);
  const kustomization = parseYaml(fs.readFileSync(path.join(k8sDir, "Kustomization"), "utf8"));
  const listed = kustomization?.resources ?? [];
  report("k8s/Kustomization lists exactly the manifest files",
    [...present.filter((f) => !listed.includes(f)).map((f) => `${f} not listed`), ...listed.filter((f) => !present.includes(f)).map((f) => `${f} listed but absent`)]);
  report("kubectl kustomize k8s/ builds the objects of the files, unchanged", kustomizeProblems(k8sObjects));

  // 4. Every value is documented and the chart README's table is current.
  const { rows, missing } = documentValues(fs.readFileSync(path.join(chart, "values.yaml"), "utf8"));
  const readme = fs.readFileSync(path.join(chart, "README.md"), "utf8");
  report(`values.yaml documents every value (${rows.length} "# --" descriptions) and helm/vaecf/README.md lists them`,
    [...missing.map((k) => `${k} has no "# --" description`), ...(readme.includes(table(rows)) ? [] : ["README values table is out of date (--write)"])]);

  // 5. Dockerfile: parsed and linted by dockerfile-utils (the linter of the VS Code Docker extension).
  for (const f of ["docker/Dockerfile"]) {
    const text = fs.readFileSync(path.join(repo, f), "utf8");
    const diagnostics = dockerfileUtils.validate(text, {});
    report(`${f} passes dockerfile-utils validation`,
      diagnostics.map((d) => `line ${d.range.start.line + 1}: ${d.message}`));
  }
}

/** `--set-json` assignments of a values object: one top-level key per assignment. */
const setJson = (over) => Object.entries(over).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",");

/** `kubectl kustomize k8s/` against the objects of k8s/*.yaml: the same objects, field for field. */
function kustomizeProblems(fileObjects) {
  let built;
  try { built = parseManifests(toolOutput("kubectl", ["kustomize", rel(k8sDir)]), "kubectl kustomize k8s/"); }
  catch (e) { return [e.message]; }
  const files = new Map(fileObjects.map((o) => [objectKey(o), canonical(o)]));
  const kustomized = new Map(built.objects.map((o) => [objectKey(o), canonical(o)]));
  return [...built.problems,
    ...[...files.keys()].filter((k) => !kustomized.has(k)).map((k) => `${k} is missing from the kustomize output`),
    ...[...kustomized.keys()].filter((k) => !files.has(k)).map((k) => `${k} is in the kustomize output but in no file`),
    ...[...files].filter(([k, v]) => kustomized.has(k) && kustomized.get(k) !== v).map(([k]) => `${k} differs in the kustomize output`)];
}

/** Helm's value merge: maps merge key by key, anything else (lists too) is replaced; null deletes a key. */
function mergeValues(base, over) {
  const isMap = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const out = { ...base };
  for (const [k, v] of Object.entries(over ?? {})) {
    if (v === null) delete out[k];
    else out[k] = isMap(v) && isMap(out[k]) ? mergeValues(out[k], v) : v;
  }
  return out;
}

/** The problems of a Helm run: none when it exits 0, else its message. */
function helmProblems(args) {
  const { status, stdout, stderr } = runTool("helm", args);
  return status === 0 ? [] : [`helm ${args.join(" ")} (exit ${status}): ${(stderr || stdout).trim()}`];
}

/** A canonical text of an object (keys sorted at every level), to compare objects written in any key order. */
const canonical = (v) => Array.isArray(v) ? `[${v.map(canonical).join(",")}]`
  : v !== null && typeof v === "object" ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`
  : JSON.stringify(v);
const objectKey = (o) => `${o?.kind}/${o?.metadata?.name}`;

await main(process.argv.slice(2));
