// Checks helm/vaecf, k8s/ and docker/Dockerfile without Helm, Docker or a cluster. Run from anywhere:
//
//   node scripts/k8s-validate/validate.mjs            # all checks; exit 1 on any failure
//   node scripts/k8s-validate/validate.mjs --files a.yaml ...   # schema-check only the given manifest files
//
// Prints "ok: ..." or "FAIL ..." per check and a closing "N passed, N failed" line.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import { parseAllDocuments, parse as parseYaml } from "yaml";
import dockerfileUtils from "dockerfile-utils";
import { validateObject } from "./k8s-schema.mjs";
import { plainManifests, renderChart } from "./render-chart.mjs";
import { documentValues, table } from "./values-doc.mjs";
import { checkConsistency } from "./consistency.mjs";

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
  const schema = JSON.parse(fs.readFileSync(path.join(chart, "values.schema.json"), "utf8"));
  const validateValues = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

  // 1. Every values file (defaults, then each ci/*-values.yaml over them): schema, rendering, Kubernetes schemas.
  const valueSets = [["default values", []]];
  for (const f of fs.readdirSync(path.join(chart, "ci")).filter((f) => f.endsWith(".yaml")).sort()) {
    valueSets.push([`ci/${f}`, [path.join(chart, "ci", f)]]);
  }
  let defaultRendering;
  for (const [name, valueFiles] of valueSets) {
    let rendered;
    try {
      rendered = renderChart(chart, { valueFiles, service: "kubectl" });
    } catch (e) {
      report(`render chart with ${name}`, [e.message]);
      continue;
    }
    if (!valueFiles.length) defaultRendering = rendered;
    report(`values.schema.json accepts ${name}`,
      validateValues(rendered.values) ? [] : validateValues.errors.map((e) => `${e.instancePath || "/"} ${e.message}`));
    const objects = [];
    const problems = [];
    for (const m of rendered.manifests) {
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
  const accepted = bad.filter(([, over]) => validateValues(mergeDeep(defaultRendering?.values ?? {}, over))).map(([n]) => `accepted a bad ${n}`);
  report("values.schema.json rejects bad values (Localhost clustering, device gpu, provider S3, unknown key, external Redis without host)", accepted);

  // 3. k8s/ is the chart rendered with default values, and every file in it is valid.
  const expected = plainManifests(chart, { service: "kubectl" });
  const present = fs.readdirSync(k8sDir).filter((f) => f.endsWith(".yaml"));
  const drift = [...present.filter((f) => !(f in expected)).map((f) => `k8s/${f} is not produced by the chart`),
    ...Object.keys(expected).filter((f) => !present.includes(f)).map((f) => `k8s/${f} is missing`),
    ...present.filter((f) => f in expected && fs.readFileSync(path.join(k8sDir, f), "utf8") !== expected[f]).map((f) => `k8s/${f} differs from the rendered chart`)];
  report("k8s/ equals the chart rendered with default values (to update: scripts/validate-deployment.sh --write)", drift);
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

function mergeDeep(a, b) {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = v && typeof v === "object" && !Array.isArray(v) && typeof a[k] === "object" ? mergeDeep(a[k], v) : v;
  return out;
}

await main(process.argv.slice(2));
