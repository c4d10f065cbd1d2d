// Renders a Helm chart with `helm template` (the pinned Helm of install-helm.sh), one manifest per template, and
// keeps k8s/ in step with it.
//
//   node render-chart.mjs CHART [-f values.yaml ...] [--set K=V ...] [--release NAME] [--json | --write DIR | --check DIR]
//
// Without --write/--check it prints Helm's output; --json prints the rendered objects as one JSON array instead. --write DIR writes one file per template into DIR, rendered with
// the default values (how k8s/ is made); --check DIR exits 1 when DIR's files differ from a fresh rendering.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { toolOutput } from "./tools.mjs";

/** `helm template` arguments: release name, chart, values files in order, then --set assignments. */
function templateArgs(chartDir, { valueFiles = [], releaseName = "vaecf", set = [] }) {
  return ["template", releaseName, chartDir, ...valueFiles.flatMap((f) => ["-f", f]), ...set.flatMap((s) => ["--set", s])];
}

/** Helm's output for the chart as it prints it. Throws with Helm's message when rendering fails. */
export function helmTemplateText(chartDir, options = {}) {
  return toolOutput("helm", templateArgs(chartDir, options));
}

/**
 * Renders the chart with Helm. Returns [{ template, text }]: the documents of each template file (Helm prints each
 * after a "# Source: CHART/templates/FILE" line), in Helm's order; empty templates are absent, as in Helm's output.
 */
export function renderChart(chartDir, options = {}) {
  const byTemplate = new Map();
  for (const part of helmTemplateText(chartDir, options).split(/^---\n(?=# Source: )/m)) {
    const source = /^# Source: [^/]+\/templates\/(.+)\n/.exec(part);
    if (!source) continue;
    const text = part.slice(source[0].length).trimEnd();
    byTemplate.set(source[1], byTemplate.has(source[1]) ? `${byTemplate.get(source[1])}\n---\n${text}` : text);
  }
  return [...byTemplate].map(([template, text]) => ({ template, text }));
}

/** The Helm version of the renderings, e.g. "v3.17.2". */
export const helmVersion = () => toolOutput("helm", ["version", "--template", "{{.Version}}"]).trim();

// The k8s/ files are applied without Helm, so their managed-by label says kubectl, and they use a Redis password
// Secret the user creates (vaecf-redis-auth): a chart-generated one would differ on every rendering.
const PLAIN_SET = ["managedBy=kubectl", "redis.auth.existingSecret=vaecf-redis-auth"];

const HEADER = (chart, template, version) =>
  `# Generated from ${chart}/templates/${template} (Helm ${version}) by\n` +
  `# \`helm template vaecf ${chart} ${PLAIN_SET.map((s) => `--set ${s}`).join(" \\\n#   ")}\`;\n` +
  `# do not edit: change the chart and run scripts/validate-deployment.sh --write.\n`;

/** The files k8s/ should hold: name → content (the chart with default values, release "vaecf"). */
export function plainManifests(chartDir) {
  const chart = `helm/${path.basename(path.resolve(chartDir))}`;
  const version = helmVersion();
  const manifests = renderChart(chartDir, { set: PLAIN_SET });
  return Object.fromEntries(manifests.map((m) => [m.template, HEADER(chart, m.template, version) + m.text + "\n"]));
}

/** Problems of DIR against the expected files: missing, extra or different files. */
export function driftProblems(dir, expected) {
  const actual = fs.readdirSync(dir).filter((f) => f.endsWith(".yaml"));
  return [
    ...actual.filter((f) => !(f in expected)).map((f) => `${dir}/${f}: not produced by the chart's default values`),
    ...Object.keys(expected).filter((f) => !actual.includes(f)).map((f) => `${dir}/${f}: missing`),
    ...actual.filter((f) => f in expected && fs.readFileSync(path.join(dir, f), "utf8") !== expected[f])
      .map((f) => `${dir}/${f}: differs from the rendered chart`),
  ];
}

function main(argv) {
  const options = { valueFiles: [], releaseName: "vaecf", set: [] };
  let chartDir;
  let json = false;
  let write;
  let check;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-f" || a === "--values") options.valueFiles.push(argv[++i]);
    else if (a === "--set") options.set.push(argv[++i]);
    else if (a === "--json") json = true;
    else if (a === "--release") options.releaseName = argv[++i];
    else if (a === "--write") write = argv[++i];
    else if (a === "--check") check = argv[++i];
    else chartDir = a;
  }
  if (!chartDir) throw new Error("usage: render-chart.mjs CHART [-f values.yaml] [--set K=V] [--release NAME] [--json | --write DIR | --check DIR]");
  if (json) {
    const objects = parseAllDocuments(helmTemplateText(chartDir, options)).map((d) => d.toJS()).filter((o) => o != null);
    process.stdout.write(JSON.stringify(objects) + "\n");
    return 0;
  }
  if (!write && !check) {
    process.stdout.write(helmTemplateText(chartDir, options));
    return 0;
  }
  const expected = plainManifests(chartDir);
  if (write) {
    for (const f of fs.readdirSync(write).filter((f) => f.endsWith(".yaml"))) fs.rmSync(path.join(write, f));
    for (const [f, text] of Object.entries(expected)) fs.writeFileSync(path.join(write, f), text);
    console.log(`wrote ${Object.keys(expected).length} files to ${write}`);
    return 0;
  }
  const problems = driftProblems(check, expected);
  for (const p of problems) console.error(`FAIL ${p}`);
  if (!problems.length) console.log(`ok: ${check} matches the chart rendered with default values (${Object.keys(expected).length} files)`);
  return problems.length ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try { process.exitCode = main(process.argv.slice(2)); } catch (e) { console.error(`error: ${e.message}`); process.exitCode = 2; }
}
