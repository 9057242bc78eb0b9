{{/*
traffic-light's own alerts (the PrometheusRule adds TrafficLightDown and GpioBackendSimulated
from gpio-fleet-common). Thresholds: .Values.alerts; runbooks: README, "Alerts".
*/}}
{{- define "traffic-light.alertRules" -}}
{{- $sel := include "gpio-fleet-common.alerts.selector" . }}
{{- $a := .Values.alerts }}
- alert: TrafficLightLate
  expr: |-
    histogram_quantile({{ $a.late.quantile }}, rate(traffic_light_phase_lateness_seconds_bucket{{ "{" }}{{ $sel }}{{ "}" }}[{{ $a.late.window }}]))
    > {{ $a.late.seconds }}
  labels:
    severity: warning
    app: {{ .Chart.Name }}
  annotations:
    summary: {{ `Traffic light phases are late on {{ $labels.node }}` | quote }}
    description: {{ printf `The %s quantile of phase lateness of traffic-light on node {{ $labels.node }} ({{ $labels.instance }}) is {{ $value | humanizeDuration }} over the last %s (threshold %ss): the lamps change late.` (toString $a.late.quantile) $a.late.window (toString $a.late.seconds) | quote }}
    runbook_url: {{ include "gpio-fleet-common.alerts.runbook" (dict "root" . "alert" "TrafficLightLate") | quote }}
- alert: TrafficLightStopped
  expr: |-
    increase(traffic_light_cycles_total{{ "{" }}{{ $sel }}{{ "}" }}[{{ $a.stopped.window }}]) == 0
    {{ include "gpio-fleet-common.alerts.upFor" (dict "root" . "window" $a.stopped.window) | nindent 4 | trim }}
  labels:
    severity: critical
    app: {{ .Chart.Name }}
  annotations:
    summary: {{ `Traffic light on {{ $labels.node }} has stopped cycling` | quote }}
    description: {{ printf `traffic-light on node {{ $labels.node }} ({{ $labels.instance }}) is up but has completed no cycle for %s: the sequence is not running.` $a.stopped.window | quote }}
    runbook_url: {{ include "gpio-fleet-common.alerts.runbook" (dict "root" . "alert" "TrafficLightStopped") | quote }}
{{- end }}
