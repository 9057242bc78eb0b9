{{/* What makes this chart traffic-light; everything else comes from gpio-fleet-common. */}}

{{- define "traffic-light.component" -}}actuator{{- end }}

{{/* The app's settings as environment variables (names as in the app's --help). */}}
{{- define "traffic-light.env" -}}
- name: TRAFFIC_LIGHT_RED_PIN
  value: {{ .Values.lights.pins.red | toString | quote }}
- name: TRAFFIC_LIGHT_AMBER_PIN
  value: {{ .Values.lights.pins.amber | toString | quote }}
- name: TRAFFIC_LIGHT_GREEN_PIN
  value: {{ .Values.lights.pins.green | toString | quote }}
- name: TRAFFIC_LIGHT_PHASES
  value: {{ .Values.lights.phases | quote }}
{{- end }}
