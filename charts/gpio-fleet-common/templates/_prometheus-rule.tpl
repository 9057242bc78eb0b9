{{/*
The app's alerts as a prometheus-operator PrometheusRule (monitoring.coreos.com/v1), off by
default. These templates are the one source of the rules: `npm run charts:generate` renders
them with the default values into deploy/prometheus/gpio-fleet.rules.yaml for a Prometheus
without the operator, and the chart tests fail when the two differ.

Each app chart defines "<chart>.alertRules": its own rules as a YAML list, written with the
helpers below. The library adds the two every app shares: <App>Down and GpioBackendSimulated.
Prometheus' own template markers inside annotations are written as {{`{{ ... }}`}}, so Helm
passes them through.
*/}}

{{/* "LightSensor" for light-sensor: the prefix of the app's alert names. */}}
{{- define "gpio-fleet-common.alerts.prefix" -}}
{{- .Chart.Name | replace "-" " " | title | nospace }}
{{- end }}

{{/*
The label matchers that pick the app's series: prometheusRule.selector, or job="<name>", the
job a ServiceMonitor or PodMonitor of this chart gives its targets (jobLabel
app.kubernetes.io/name).
*/}}
{{- define "gpio-fleet-common.alerts.selector" -}}
{{- .Values.prometheusRule.selector | default (printf "job=%q" (include "gpio-fleet-common.name" .)) }}
{{- end }}

{{/* runbook_url of an alert: the chart README's section named after it. (dict "root" $ "alert" <name>) */}}
{{- define "gpio-fleet-common.alerts.runbook" -}}
{{- printf "%s#%s" (trimSuffix "/" .root.Values.prometheusRule.runbookBaseUrl) (lower .alert) }}
{{- end }}

{{/*
"while the target is up, and was up `window` ago": for alerts on a counter that has not moved
over `window`, so that a target younger than the window (a pod that just started) does not
count as silent for the whole window. (dict "root" $ "window" <duration>)
*/}}
{{- define "gpio-fleet-common.alerts.upFor" -}}
{{- $sel := include "gpio-fleet-common.alerts.selector" .root -}}
and on (job, instance) up{{ "{" }}{{ $sel }}{{ "}" }} == 1
and on (job, instance) (up{{ "{" }}{{ $sel }}{{ "}" }} offset {{ .window }}) == 1
{{- end }}

{{/* The rules every app has. */}}
{{- define "gpio-fleet-common.alerts.shared" -}}
{{- $sel := include "gpio-fleet-common.alerts.selector" . }}
{{- $prefix := include "gpio-fleet-common.alerts.prefix" . }}
{{- $app := .Chart.Name }}
{{- $r := .Values.prometheusRule }}
{{- $sim := $r.backendSimulated }}
{{- $nodeLabel := printf "label_%s" (regexReplaceAll "[^a-zA-Z0-9_]" $sim.nodeLabel "_") }}
- alert: {{ $prefix }}Down
  expr: up{{ "{" }}{{ $sel }}{{ "}" }} == 0
  for: {{ $r.down.for }}
  labels:
    severity: critical
    app: {{ .Chart.Name }}
  annotations:
    summary: {{ printf `%s target {{ $labels.instance }} is down` $app | quote }}
    description: {{ printf `Prometheus has not been able to scrape %s at {{ $labels.instance }}{{ with $labels.pod }} (pod {{ $labels.namespace }}/{{ . }}){{ end }} for %s: the pod is gone, not running, or its node unreachable.` $app $r.down.for | quote }}
    runbook_url: {{ include "gpio-fleet-common.alerts.runbook" (dict "root" . "alert" (printf "%sDown" $prefix)) | quote }}
- alert: GpioBackendSimulated
  expr: |-
    gpio_backend_info{{ "{" }}backend="mock",{{ $sel }}{{ "}" }}
      * on (node) group_left ()
    max by (node) (kube_node_labels{{ "{" }}{{ $nodeLabel }}={{ $sim.nodeLabelValue | quote }}{{ "}" }})
  for: {{ $sim.for }}
  labels:
    severity: warning
    app: {{ .Chart.Name }}
  annotations:
    summary: {{ printf `%s on {{ $labels.node }} runs the mock GPIO backend` $app | quote }}
    description: {{ printf `The %s pod on node {{ $labels.node }}, a node labelled %s=%s, simulates its GPIO instead of driving the pins (gpio.access=none, or GPIO_BACKEND=mock): what it reports does not come from the hardware.` $app $sim.nodeLabel $sim.nodeLabelValue | quote }}
    runbook_url: {{ include "gpio-fleet-common.alerts.runbook" (dict "root" . "alert" "GpioBackendSimulated") | quote }}
{{- end }}

{{/* The rule group: the shared rules, then the app's own. */}}
{{- define "gpio-fleet-common.alerts.groups" -}}
- name: {{ .Chart.Name }}
  rules:
    {{- include "gpio-fleet-common.alerts.shared" . | trim | nindent 4 }}
    {{- include (printf "%s.alertRules" .Chart.Name) . | trim | nindent 4 }}
{{- end }}

{{- define "gpio-fleet-common.prometheusRule" -}}
{{- if .Values.prometheusRule.enabled }}
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  {{- include "gpio-fleet-common.monitor.metadata" (dict "root" . "monitor" .Values.prometheusRule) | nindent 2 }}
spec:
  groups:
    {{- include "gpio-fleet-common.alerts.groups" . | nindent 4 }}
{{- end }}
{{- end }}
