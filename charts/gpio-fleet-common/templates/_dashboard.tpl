{{/*
A ConfigMap holding the app chart's dashboards/*.json, labelled grafana_dashboard: "1" so
Grafana's dashboard sidecar (as in kube-prometheus-stack) loads it.
*/}}
{{- define "gpio-fleet-common.grafanaDashboard" -}}
{{- if .Values.grafanaDashboard.enabled }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "gpio-fleet-common.fullname" . }}-dashboard
  namespace: {{ .Values.grafanaDashboard.namespace | default .Release.Namespace }}
  labels:
    {{- merge (dict "grafana_dashboard" "1") (include "gpio-fleet-common.objectLabels" (dict "root" . "extra" .Values.grafanaDashboard.labels) | fromYaml) | toYaml | nindent 4 }}
  {{- with .Values.grafanaDashboard.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
data:
  {{- (.Files.Glob "dashboards/*.json").AsConfig | nindent 2 }}
{{- end }}
{{- end }}
