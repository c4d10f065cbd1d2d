// Checks across the objects of one rendering that a schema cannot see: selectors select the intended pods (and only
// those), named ports exist where probes, Services and ServiceMonitors use them, $(VAR) references are defined
// before use, names and label values fit Kubernetes' limits, and RBAC and volume references resolve.

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

function podTemplate(obj) {
  if (obj.kind === "Deployment" || obj.kind === "StatefulSet" || obj.kind === "Job") return obj.spec?.template;
  if (obj.kind === "CronJob") return obj.spec?.jobTemplate?.spec?.template;
  return null;
}

/** Jobs and CronJobs: their pods are not selected by a selector of their own. */
const isJob = (o) => o.kind === "Job" || o.kind === "CronJob";

export function checkConsistency(objects) {
  const problems = [];
  const id = (o) => `${o.kind} ${o.metadata?.name}`;
  const workloads = objects.filter(podTemplate);
  const byKind = (kind) => objects.filter((o) => o.kind === kind);

  for (const o of objects) {
    const name = o.metadata?.name ?? "";
    const limit = o.kind === "Service" ? 63 : 253;
    if (name.length > limit || !(o.kind === "Service" ? DNS_LABEL : DNS_SUBDOMAIN).test(name)) problems.push(`${id(o)}: invalid name`);
    for (const [k, v] of Object.entries(o.metadata?.labels ?? {})) {
      if (typeof v !== "string" || v.length > 63 || !LABEL_VALUE.test(v)) problems.push(`${id(o)}: label ${k} has an invalid value "${v}"`);
    }
  }

  for (const w of workloads) {
    const pod = podTemplate(w);
    const spec = pod.spec ?? {};
    if (!isJob(w) && !matches(w.spec.selector?.matchLabels, pod.metadata?.labels)) problems.push(`${id(w)}: selector does not match its pod labels`);
    for (const other of workloads) {
      if (other !== w && !isJob(w) && matches(w.spec.selector?.matchLabels, podTemplate(other).metadata?.labels)) {
        problems.push(`${id(w)}: selector also selects the pods of ${id(other)}`);
      }
    }
    for (const [k, v] of Object.entries(pod.metadata?.labels ?? {})) {
      if (typeof v !== "string" || v.length > 63 || !LABEL_VALUE.test(v)) problems.push(`${id(w)}: pod label ${k} has an invalid value "${v}"`);
    }
    const sa = spec.serviceAccountName;
    if (sa && sa !== "default" && !byKind("ServiceAccount").some((s) => s.metadata.name === sa)) problems.push(`${id(w)}: ServiceAccount ${sa} is not defined`);
    const volumes = new Set((spec.volumes ?? []).map((v) => v.name));
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      const ports = new Set((c.ports ?? []).map((p) => p.name).filter(Boolean));
      for (const p of c.ports ?? []) if (p.name && (p.name.length > 15 || !PORT_NAME.test(p.name))) problems.push(`${id(w)}/${c.name}: bad port name ${p.name}`);
      for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
        const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port;
        if (typeof port === "string" && !ports.has(port)) problems.push(`${id(w)}/${c.name}: ${probe} uses port "${port}", which the container does not name`);
      }
      const defined = new Set();
      const refs = (text, where) => {
        for (const [, v] of String(text).matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) if (!defined.has(v)) problems.push(`${id(w)}/${c.name}: ${where} uses $(${v}) before it is defined`);
      };
      for (const e of c.env ?? []) { if (e.value !== undefined) refs(e.value, `env ${e.name}`); defined.add(e.name); }
      for (const a of [...(c.command ?? []), ...(c.args ?? [])]) refs(a, "command/args");
      for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) problems.push(`${id(w)}/${c.name}: volumeMount ${m.name} has no volume`);
    }
  }

  for (const s of byKind("Service")) {
    const targets = workloads.filter((w) => !isJob(w) && matches(s.spec.selector, podTemplate(w).metadata?.labels));
    if (targets.length !== 1) { problems.push(`${id(s)}: selector matches ${targets.length} workloads (expected 1)`); continue; }
    const names = new Set(podTemplate(targets[0]).spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name)));
    for (const p of s.spec.ports ?? []) if (typeof p.targetPort === "string" && !names.has(p.targetPort)) problems.push(`${id(s)}: targetPort ${p.targetPort} is not a container port name`);
    for (const j of workloads.filter(isJob)) if (matches(s.spec.selector, podTemplate(j).metadata?.labels)) problems.push(`${id(s)}: selector also selects the pods of ${id(j)}`);
  }
  for (const p of byKind("PodDisruptionBudget")) {
    const n = workloads.filter((w) => !isJob(w) && matches(p.spec.selector?.matchLabels, podTemplate(w).metadata?.labels)).length;
    if (n !== 1) problems.push(`${id(p)}: selector matches ${n} workloads (expected 1)`);
  }
  for (const m of byKind("ServiceMonitor")) {
    const services = byKind("Service").filter((s) => matches(m.spec.selector?.matchLabels, s.metadata?.labels));
    if (!services.length) problems.push(`${id(m)}: selector matches no Service`);
    for (const e of m.spec.endpoints ?? []) {
      if (!services.some((s) => s.spec.ports.some((p) => p.name === e.port))) problems.push(`${id(m)}: endpoint port ${e.port} is not a Service port name`);
    }
  }
  for (const b of byKind("RoleBinding")) {
    if (b.roleRef.kind === "Role" && !byKind("Role").some((r) => r.metadata.name === b.roleRef.name)) problems.push(`${id(b)}: Role ${b.roleRef.name} is not defined`);
    for (const s of b.subjects ?? []) {
      if (s.kind === "ServiceAccount" && s.name !== "default" && !byKind("ServiceAccount").some((a) => a.metadata.name === s.name)) problems.push(`${id(b)}: ServiceAccount ${s.name} is not defined`);
    }
  }
  return problems;
}
