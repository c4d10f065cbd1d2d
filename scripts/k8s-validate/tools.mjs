// Runs the Helm and kubectl binaries that install-helm.sh puts in scripts/k8s-validate/.tools/bin (pinned versions,
// so that renderings, and with them the k8s/ drift check, do not change with whatever Helm is on the PATH).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const toolsBin = path.join(path.dirname(fileURLToPath(import.meta.url)), ".tools", "bin");

/** "TOOL not found ..." for each of helm and kubectl that is not installed. */
export const missingTools = () => ["helm", "kubectl"].filter((t) => !fs.existsSync(path.join(toolsBin, t)))
  .map((t) => `${t} not found in ${toolsBin}: run scripts/k8s-validate/install-helm.sh`);

/**
 * Runs `TOOL ARGS` (tool: "helm" or "kubectl") and returns { status, stdout, stderr }. Throws when the binary is not
 * installed, naming the script that installs it.
 */
export function runTool(tool, args) {
  const program = path.join(toolsBin, tool);
  if (!fs.existsSync(program)) throw new Error(`${tool} not found in ${toolsBin}: run scripts/k8s-validate/install-helm.sh`);
  const result = spawnSync(program, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The stdout of `TOOL ARGS`; throws with the tool's error output when it exits non-zero. */
export function toolOutput(tool, args) {
  const { status, stdout, stderr } = runTool(tool, args);
  if (status !== 0) throw new Error(`${tool} ${args.join(" ")} failed (exit ${status}): ${stderr.trim() || stdout.trim()}`);
  return stdout;
}
