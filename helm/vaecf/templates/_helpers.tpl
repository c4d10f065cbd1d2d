{{/*
Names and labels. Kubernetes names and label values are at most 63 characters, so every name is cut there.
*/}}

{{/* Chart name, or nameOverride. */}}
{{- define "vaecf.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: fullnameOverride, else the release name when it contains the chart name, else "<release>-<chart>". */}}
{{- define "vaecf.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Component names. */}}
{{- define "vaecf.silo.fullname" -}}
{{- printf "%s-silo" (include "vaecf.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "vaecf.redis.fullname" -}}
{{- printf "%s-redis" (include "vaecf.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "vaecf.job.fullname" -}}
{{- printf "%s-train-%s" (include "vaecf.fullname" .) .Values.job.id | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "vaecf.recommend.fullname" -}}
{{- printf "%s-recommend-%s" (include "vaecf.fullname" .) .Values.recommend.id | trunc 52 | trimSuffix "-" }}
{{- end }}

{{- define "vaecf.dashboard.fullname" -}}
{{- printf "%s-dashboard" (include "vaecf.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Chart label value: "<name>-<version>". */}}
{{- define "vaecf.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Stable selector labels: never change them after install (Deployment selectors are immutable). */}}
{{- define "vaecf.selectorLabels" -}}
app.kubernetes.io/name: {{ include "vaecf.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Common labels of every resource. */}}
{{- define "vaecf.labels" -}}
helm.sh/chart: {{ include "vaecf.chart" . }}
{{ include "vaecf.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Values.managedBy | default .Release.Service }}
app.kubernetes.io/part-of: vaecf
{{- end }}

{{/* Orleans ClusterId: cluster.clusterId, or the full name. */}}
{{- define "vaecf.clusterId" -}}
{{- .Values.cluster.clusterId | default (include "vaecf.fullname" .) }}
{{- end }}

{{/* ServiceAccount of the silos. */}}
{{- define "vaecf.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- .Values.serviceAccount.name | default (include "vaecf.fullname" .) }}
{{- else }}
{{- .Values.serviceAccount.name | default "default" }}
{{- end }}
{{- end }}

{{/* Image of the client Job (CPU LibTorch is enough for the client). */}}
{{- define "vaecf.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/* Image of the silos: the CUDA build (tag suffix) when silo.gpu.enabled. */}}
{{- define "vaecf.silo.image" -}}
{{- include "vaecf.image" . }}{{ if .Values.silo.gpu.enabled }}{{ .Values.silo.gpu.imageTagSuffix }}{{ end }}
{{- end }}

{{/* Redis host and port: the in-chart Redis Service, or redis.external. */}}
{{- define "vaecf.redis.host" -}}
{{- if .Values.redis.enabled }}
{{- include "vaecf.redis.fullname" . }}
{{- else }}
{{- required "redis.external.host is required when redis.enabled is false" .Values.redis.external.host }}
{{- end }}
{{- end }}

{{- define "vaecf.redis.port" -}}
{{- if .Values.redis.enabled }}6379{{ else }}{{ .Values.redis.external.port }}{{ end }}
{{- end }}

{{/*
Secret holding the Redis password. In-chart Redis: redis.auth.existingSecret, else the chart's "<fullname>-redis-auth"
(redis-secret.yaml). External Redis: redis.external.existingSecret (may be empty: no password).
*/}}
{{- define "vaecf.redis.secretName" -}}
{{- if .Values.redis.enabled }}
{{- .Values.redis.auth.existingSecret | default (printf "%s-auth" (include "vaecf.redis.fullname" .) | trunc 63 | trimSuffix "-") }}
{{- else }}
{{- .Values.redis.external.existingSecret }}
{{- end }}
{{- end }}

{{/* Key of the password in that Secret. */}}
{{- define "vaecf.redis.secretKey" -}}
{{- if .Values.redis.enabled }}{{ .Values.redis.auth.existingSecretPasswordKey }}{{ else }}{{ .Values.redis.external.existingSecretPasswordKey }}{{ end }}
{{- end }}

{{/* True (non-empty) when Redis needs a password from a Secret: always for the in-chart Redis. */}}
{{- define "vaecf.redis.hasPassword" -}}
{{- if or .Values.redis.enabled .Values.redis.external.existingSecret }}true{{ end }}
{{- end }}

{{/* True (non-empty) when the silos talk TLS to Redis (external Redis with redis.external.tls). */}}
{{- define "vaecf.redis.tls" -}}
{{- if and (not .Values.redis.enabled) .Values.redis.external.tls }}true{{ end }}
{{- end }}

{{/*
REDIS_PASSWORD from the Secret (use only when vaecf.redis.hasPassword), for $(REDIS_PASSWORD) in the variables and
arguments after it.
*/}}
{{- define "vaecf.redis.passwordEnv" -}}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "vaecf.redis.secretName" . }}
      key: {{ include "vaecf.redis.secretKey" . }}
{{- end }}

{{/* StackExchange.Redis connection string of the silos: "host:port[,password=$(REDIS_PASSWORD)][,ssl=true]". */}}
{{- define "vaecf.redis.connectionString" -}}
{{- include "vaecf.redis.host" . }}:{{ include "vaecf.redis.port" . }}{{ if include "vaecf.redis.hasPassword" . }},password=$(REDIS_PASSWORD){{ end }}{{ if include "vaecf.redis.tls" . }},ssl=true{{ end }}
{{- end }}

{{/* The client's --cluster address: "redis://[:$(REDIS_PASSWORD)@]host:port". */}}
{{- define "vaecf.redis.url" -}}
redis://{{ if include "vaecf.redis.hasPassword" . }}:$(REDIS_PASSWORD)@{{ end }}{{ include "vaecf.redis.host" . }}:{{ include "vaecf.redis.port" . }}
{{- end }}

{{/*
The training Job's --cluster: the Redis membership table (redis://...), or, with redis.external.tls, the silo
Service's gateway port, since the client's redis:// address has no TLS (src/Client/Cluster/ClusterAddress.cs).
*/}}
{{- define "vaecf.job.cluster" -}}
{{- if include "vaecf.redis.tls" . }}
{{- include "vaecf.silo.fullname" . }}:{{ .Values.silo.ports.gateway }}
{{- else }}
{{- include "vaecf.redis.url" . }}
{{- end }}
{{- end }}

{{/* True (non-empty) when the Job reads the Redis membership table, so it needs Redis (and its password). */}}
{{- define "vaecf.job.usesRedis" -}}
{{- if not (include "vaecf.redis.tls" .) }}true{{ end }}
{{- end }}

{{/*
Selector labels of one component. The stable name and instance labels, plus app.kubernetes.io/component because
one release runs several workloads (silos, Redis, the training Job) that must not select each other's pods.
*/}}
{{- define "vaecf.silo.selectorLabels" -}}
{{ include "vaecf.selectorLabels" . }}
app.kubernetes.io/component: silo
{{- end }}

{{- define "vaecf.redis.selectorLabels" -}}
{{ include "vaecf.selectorLabels" . }}
app.kubernetes.io/component: redis
{{- end }}


{{- define "vaecf.job.selectorLabels" -}}
{{ include "vaecf.selectorLabels" . }}
app.kubernetes.io/component: train
{{- end }}

{{/* The client label (networkPolicy.clientLabel) as a label map: on the training Job's pods, and in NetworkPolicies. */}}
{{- define "vaecf.clientLabels" -}}
{{ .Values.networkPolicy.clientLabel.key }}: {{ .Values.networkPolicy.clientLabel.value | quote }}
{{- end }}

{{/* Secret with the mutual-TLS files (tls.crt, tls.key, ca.crt). */}}
{{- define "vaecf.tls.secretName" -}}
{{- .Values.tls.existingSecret | default (printf "%s-tls" (include "vaecf.fullname" .)) }}
{{- end }}

{{/* Where the TLS Secret is mounted in silo and client containers. */}}
{{- define "vaecf.tls.mountPath" -}}
/etc/vaecf/tls
{{- end }}
