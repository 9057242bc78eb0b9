{{/*
Names and labels. Every helper takes the app chart's root context (.), so .Chart is the
app chart (light-sensor, traffic-light), not this library.
Kubernetes names and label values are limited to 63 characters.
*/}}

{{/* The app name: the chart name unless nameOverride is set. */}}
{{- define "gpio-fleet-common.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The object name: fullnameOverride, else "<release>-<name>", shortened to the release name
when that already contains the app name (so `helm install light-sensor` gives "light-sensor").
*/}}
{{- define "gpio-fleet-common.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := include "gpio-fleet-common.name" . }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* "<chart>-<version>" for the helm.sh/chart label; "+" is not allowed in label values. */}}
{{- define "gpio-fleet-common.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The app version the pods run: the image tag, defaulting to the chart's appVersion. */}}
{{- define "gpio-fleet-common.version" -}}
{{- .Values.image.tag | default .Chart.AppVersion | toString | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The app.kubernetes.io/component value. Each app chart defines "<chart name>.component"
(for example "light-sensor.component"), so the library needs no per-app values key.
*/}}
{{- define "gpio-fleet-common.component" -}}
{{- include (printf "%s.component" .Chart.Name) . }}
{{- end }}

{{/*
Selector labels: name and instance only. A DaemonSet's selector cannot change after
creation, so nothing that changes between upgrades (version, chart) may be in it.
*/}}
{{- define "gpio-fleet-common.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gpio-fleet-common.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The chart's own labels, on every object it renders. */}}
{{- define "gpio-fleet-common.ownLabels" -}}
helm.sh/chart: {{ include "gpio-fleet-common.chart" . }}
{{ include "gpio-fleet-common.selectorLabels" . }}
app.kubernetes.io/version: {{ include "gpio-fleet-common.version" . | quote }}
app.kubernetes.io/component: {{ include "gpio-fleet-common.component" . }}
app.kubernetes.io/part-of: gpio-fleet
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
The labels of one object: the chart's own, then the object's extra labels (podLabels,
service.labels, ...), then commonLabels; on a conflict the first wins, so the selector labels
always stay the chart's. Selectors never use these: only "gpio-fleet-common.selectorLabels".
Called with (dict "root" $ "extra" <map or nil>).
*/}}
{{- define "gpio-fleet-common.objectLabels" -}}
{{- merge (include "gpio-fleet-common.ownLabels" .root | fromYaml) (.extra | default dict) (.root.Values.commonLabels | default dict) | toYaml }}
{{- end }}

{{/* Labels for an object without extra labels of its own: the chart's, plus commonLabels. */}}
{{- define "gpio-fleet-common.labels" -}}
{{- include "gpio-fleet-common.objectLabels" (dict "root" .) }}
{{- end }}

{{/*
The image reference: global.imageRegistry, when set, in front of image.repository; a digest,
when given, pins the image and replaces the tag.
*/}}
{{- define "gpio-fleet-common.image" -}}
{{- $repository := .Values.image.repository }}
{{- with dig "imageRegistry" "" (.Values.global | default dict) }}
{{- $repository = printf "%s/%s" (trimSuffix "/" .) $repository }}
{{- end }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" $repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $repository (.Values.image.tag | default .Chart.AppVersion | toString) }}
{{- end }}
{{- end }}
