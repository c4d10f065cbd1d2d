// Renders a Helm chart with helm-lite (see helm-lite.mjs for the supported subset), like `helm template`.
//
//   node render-chart.mjs CHART [-f values.yaml ...] [--release NAME] [--service NAME] [--write DIR | --check DIR]
//
// Without --write/--check it prints the manifests. --write DIR writes one file per template into DIR (how k8s/ is
// made); --check DIR exits 1 when DIR's files differ from a fresh rendering (how k8s/ is kept in step).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { TemplateSet } from "./helm-lite.mjs";

const isMap = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** Helm's value merge: maps merge key by key, anything else (lists too) is replaced; null deletes a key. */
export function mergeValues(base, over) {
  const out = { ...base };
  for (const [k, v] of Object.entries(over ?? {})) {
    if (v === null) delete out[k];
    else out[k] = isMap(v) && isMap(out[k]) ? mergeValues(out[k], v) : v;
  }
  return out;
}

/** Chart.yaml keys as Helm exposes them: name → .Chart.Name, appVersion → .Chart.AppVersion. */
function chartObject(meta) {
  return Object.fromEntries(Object.entries(meta).map(([k, v]) => [k[0].toUpperCase() + k.slice(1), v]));
}

/**
 * Renders every template of the chart. Returns { values, manifests: [{ template, text }], notes } where text is the
 * rendered file (empty files are left out, as Helm does).
 */
export function renderChart(chartDir, { valueFiles = [], releaseName = "vaecf", namespace = "default", service = "Helm" } = {}) {
  const read = (p) => fs.readFileSync(path.join(chartDir, p), "utf8");
  const meta = parseYaml(read("Chart.yaml"));
  let values = parseYaml(read("values.yaml")) ?? {};
  for (const f of valueFiles) values = mergeValues(values, parseYaml(fs.readFileSync(f, "utf8")) ?? {});

  const set = new TemplateSet();
  const templateDir = path.join(chartDir, "templates");
  const files = fs.readdirSync(templateDir).filter((f) => /\.(ya?ml|tpl|txt)$/.test(f)).sort();
  for (const f of files) set.add(`${meta.name}/templates/${f}`, fs.readFileSync(path.join(templateDir, f), "utf8"));

  const root = {
    Values: values,
    Chart: chartObject(meta),
    Release: { Name: releaseName, Namespace: namespace, Service: service, IsInstall: true, IsUpgrade: false, Revision: 1 },
    Files: { Get: (p) => read(p) },
    Capabilities: { KubeVersion: { Version: "v1.32.0", Major: "1", Minor: "32" } },
  };
  const manifests = [];
  let notes = "";
  for (const f of files) {
    if (f.startsWith("_")) continue;
    const name = `${meta.name}/templates/${f}`;
    const text = set.render(name, { ...root, Template: { Name: name, BasePath: `${meta.name}/templates` } }).trim();
    if (f === "NOTES.txt") notes = text;
    else if (text.replace(/^#.*$/gm, "").trim()) manifests.push({ template: f, text });
  }
  return { values, manifests, notes };
}

const HEADER = (chart, template) =>
  `# Generated from ${chart}/templates/${template} with default values (release "vaecf") by\n` +
  `# scripts/k8s-validate/render-chart.mjs; do not edit: change the chart and run scripts/validate-deployment.sh --write.\n`;

/** The files k8s/ should hold: name → content. */
export function plainManifests(chartDir, options) {
  const chart = `helm/${path.basename(path.resolve(chartDir))}`;
  // managed-by: kubectl, not Helm: these files are applied without Helm.
  const { manifests } = renderChart(chartDir, { ...options, service: "kubectl" });
  return Object.fromEntries(manifests.map((m) => [m.template.replace(/\.yml$/, ".yaml"), HEADER(chart, m.template) + m.text + "\n"]));
}

function main(argv) {
  const args = { valueFiles: [], releaseName: "vaecf", service: "Helm" };
  let chartDir;
  let write;
  let check;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-f" || a === "--values") args.valueFiles.push(argv[++i]);
    else if (a === "--release") args.releaseName = argv[++i];
    else if (a === "--service") args.service = argv[++i];
    else if (a === "--write") write = argv[++i];
    else if (a === "--check") check = argv[++i];
    else chartDir = a;
  }
  if (!chartDir) throw new Error("usage: render-chart.mjs CHART [-f values.yaml] [--release NAME] [--write DIR | --check DIR]");
  if (!write && !check) {
    const { manifests } = renderChart(chartDir, args);
    for (const m of manifests) process.stdout.write(`---\n# Source: ${m.template}\n${m.text}\n`);
    return 0;
  }
  const expected = plainManifests(chartDir, args);
  const dir = write ?? check;
  const generated = (f) => f.endsWith(".yaml");
  if (write) {
    for (const f of fs.readdirSync(dir).filter(generated)) fs.rmSync(path.join(dir, f));
    for (const [f, text] of Object.entries(expected)) fs.writeFileSync(path.join(dir, f), text);
    console.log(`wrote ${Object.keys(expected).length} files to ${dir}`);
    return 0;
  }
  const actual = fs.readdirSync(dir).filter(generated);
  const problems = [];
  for (const f of actual) if (!(f in expected)) problems.push(`${dir}/${f}: not produced by the chart's default values`);
  for (const [f, text] of Object.entries(expected)) {
    if (!actual.includes(f)) problems.push(`${dir}/${f}: missing`);
    else if (fs.readFileSync(path.join(dir, f), "utf8") !== text) problems.push(`${dir}/${f}: differs from the rendered chart`);
  }
  for (const p of problems) console.error(`FAIL ${p}`);
  if (!problems.length) console.log(`ok: ${dir} matches the chart rendered with default values (${Object.keys(expected).length} files)`);
  return problems.length ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try { process.exitCode = main(process.argv.slice(2)); } catch (e) { console.error(`error: ${e.message}`); process.exitCode = 2; }
}
