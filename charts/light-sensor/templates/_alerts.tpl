{{/*
light-sensor's own alerts (the PrometheusRule adds LightSensorDown and GpioBackendSimulated
from gpio-fleet-common). Thresholds: .Values.alerts; runbooks: README, "Alerts".
*/}}
{{- define "light-sensor.alertRules" -}}
{{- $sel := include "gpio-fleet-common.alerts.selector" . }}
{{- $a := .Values.alerts }}
- alert: LightSensorNoReadings
  expr: |-
    increase(light_sensor_readings_total{{ "{" }}result="ok",{{ $sel }}{{ "}" }}[{{ $a.noReadings.window }}]) == 0
    {{ include "gpio-fleet-common.alerts.upFor" (dict "root" . "window" $a.noReadings.window) | nindent 4 | trim }}
  labels:
    severity: warning
    app: {{ .Chart.Name }}
  annotations:
    summary: {{ `No good light reading on {{ $labels.node }}` | quote }}
    description: {{ printf `light-sensor on node {{ $labels.node }} ({{ $labels.instance }}) is up but has taken no successful reading for %s: every reading timed out or failed.` $a.noReadings.window | quote }}
    runbook_url: {{ include "gpio-fleet-common.alerts.runbook" (dict "root" . "alert" "LightSensorNoReadings") | quote }}
- alert: LightSensorTimeouts
  expr: |-
    sum without (result) (increase(light_sensor_readings_total{{ "{" }}result="timeout",{{ $sel }}{{ "}" }}[{{ $a.timeouts.window }}]))
      / sum without (result) (increase(light_sensor_readings_total{{ "{" }}{{ $sel }}{{ "}" }}[{{ $a.timeouts.window }}]))
    > {{ $a.timeouts.ratio }}
  labels:
    severity: warning
    app: {{ .Chart.Name }}
  annotations:
    summary: {{ `Light readings time out on {{ $labels.node }}` | quote }}
    description: {{ printf `{{ $value | humanizePercentage }} of the readings of light-sensor on node {{ $labels.node }} ({{ $labels.instance }}) timed out over the last %s (threshold %s): the capacitor never charged to the input threshold. Usually a disconnected LDR, or a dark enclosure.` $a.timeouts.window (mulf $a.timeouts.ratio 100 | toString | printf "%s%%") | quote }}
    runbook_url: {{ include "gpio-fleet-common.alerts.runbook" (dict "root" . "alert" "LightSensorTimeouts") | quote }}
- alert: LightSensorStuck
  expr: increase(light_sensor_readings_total{{ "{" }}result="error",{{ $sel }}{{ "}" }}[{{ $a.stuck.window }}]) > 0
  labels:
    severity: warning
    app: {{ .Chart.Name }}
  annotations:
    summary: {{ `Light sensor pin stuck high on {{ $labels.node }}` | quote }}
    description: {{ printf `light-sensor on node {{ $labels.node }} ({{ $labels.instance }}) read its pin HIGH right after discharging the capacitor, within the last %s (result="error"): the pin is stuck high or shorted to 3.3 V.` $a.stuck.window | quote }}
    runbook_url: {{ include "gpio-fleet-common.alerts.runbook" (dict "root" . "alert" "LightSensorStuck") | quote }}
{{- end }}
