{{/* What makes this chart light-sensor; everything else comes from gpio-fleet-common. */}}

{{- define "light-sensor.component" -}}sensor{{- end }}

{{/* The app's settings as environment variables (names as in the app's --help). */}}
{{- define "light-sensor.env" -}}
{{- $s := .Values.sensor }}
- name: LIGHT_SENSOR_PIN
  value: {{ $s.pin | toString | quote }}
- name: LIGHT_SENSOR_INTERVAL
  value: {{ $s.interval | quote }}
- name: LIGHT_SENSOR_DISCHARGE
  value: {{ $s.discharge | quote }}
- name: LIGHT_SENSOR_TIMEOUT
  value: {{ $s.timeout | quote }}
- name: LIGHT_SENSOR_CHARGE_TIME_LIMIT
  value: {{ $s.chargeTimeLimit | quote }}
- name: LIGHT_SENSOR_QUEUE_LEN
  value: {{ $s.queueLen | toString | quote }}
- name: LIGHT_SENSOR_PULL
  value: {{ $s.pull | quote }}
- name: LIGHT_SENSOR_R10
  value: {{ $s.calibration.r10 | toString | quote }}
- name: LIGHT_SENSOR_GAMMA
  value: {{ $s.calibration.gamma | toString | quote }}
- name: LIGHT_SENSOR_CAPACITANCE
  value: {{ $s.calibration.capacitance | toString | quote }}
- name: LIGHT_SENSOR_VCC
  value: {{ $s.calibration.vcc | toString | quote }}
- name: LIGHT_SENSOR_VTH
  value: {{ $s.calibration.vth | toString | quote }}
- name: LIGHT_SENSOR_PULL_DOWN_OHMS
  value: {{ $s.calibration.pullDownOhms | toString | quote }}
- name: LIGHT_SENSOR_LOG_DELTA
  value: {{ $s.logDelta | toString | quote }}
- name: LIGHT_SENSOR_MQTT_MIN_DELTA
  value: {{ $s.mqttMinDelta | toString | quote }}
{{- if eq .Values.gpio.access "none" }}
- name: MOCK_LUX
  value: {{ .Values.mock.lux | toString | quote }}
- name: MOCK_FAULT
  value: {{ .Values.mock.fault | quote }}
{{- end }}
{{- end }}
