{{/*
prometheus-operator scrape configs (monitoring.coreos.com/v1). Both are off by default; they
need the operator's CRDs in the cluster. The ServiceMonitor scrapes through the Service
(rendered automatically when serviceMonitor.enabled), the PodMonitor scrapes the pods directly.
*/}}

{{/* The endpoint fields both monitors share; `.` is the monitor's values. */}}
{{- define "gpio-fleet-common.monitor.endpoint" -}}
port: metrics
path: /metrics
{{- with .interval }}
interval: {{ . }}
{{- end }}
{{- with .scrapeTimeout }}
scrapeTimeout: {{ . }}
{{- end }}
{{- with .relabelings }}
relabelings:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .metricRelabelings }}
metricRelabelings:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Metadata both monitors share; called with (dict "root" $ "monitor" <values>). */}}
{{- define "gpio-fleet-common.monitor.metadata" -}}
name: {{ include "gpio-fleet-common.fullname" .root }}
namespace: {{ .monitor.namespace | default .root.Release.Namespace }}
labels:
  {{- include "gpio-fleet-common.objectLabels" (dict "root" .root "extra" .monitor.labels) | nindent 2 }}
{{- end }}

{{/* The selector part both monitors share. */}}
{{- define "gpio-fleet-common.monitor.selector" -}}
jobLabel: app.kubernetes.io/name
namespaceSelector:
  matchNames:
    - {{ .Release.Namespace }}
selector:
  matchLabels:
    {{- include "gpio-fleet-common.selectorLabels" . | nindent 4 }}
{{- end }}

{{- define "gpio-fleet-common.serviceMonitor" -}}
{{- if .Values.serviceMonitor.enabled }}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  {{- include "gpio-fleet-common.monitor.metadata" (dict "root" . "monitor" .Values.serviceMonitor) | nindent 2 }}
spec:
  {{- include "gpio-fleet-common.monitor.selector" . | nindent 2 }}
  endpoints:
    - {{- include "gpio-fleet-common.monitor.endpoint" .Values.serviceMonitor | nindent 6 }}
{{- end }}
{{- end }}

{{- define "gpio-fleet-common.podMonitor" -}}
{{- if .Values.podMonitor.enabled }}
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  {{- include "gpio-fleet-common.monitor.metadata" (dict "root" . "monitor" .Values.podMonitor) | nindent 2 }}
spec:
  {{- include "gpio-fleet-common.monitor.selector" . | nindent 2 }}
  podMetricsEndpoints:
    - {{- include "gpio-fleet-common.monitor.endpoint" .Values.podMonitor | nindent 6 }}
{{- end }}
{{- end }}
