{{/*
MQTT publishing (mqtt.enabled): the app's MQTT_* environment variables, the existing Secrets
with the password and the broker's CA mounted as files (a password never travels as a value
or an environment variable), and, with networkPolicy.enabled, the egress the broker needs.
*/}}

{{- define "gpio-fleet-common.mqtt.passwordDir" -}}/etc/gpio-fleet/mqtt-password{{- end }}
{{- define "gpio-fleet-common.mqtt.caDir" -}}/etc/gpio-fleet/mqtt-ca{{- end }}

{{/* The app's MQTT settings as a YAML list of EnvVar; empty unless mqtt.enabled. */}}
{{- define "gpio-fleet-common.mqtt.env" -}}
{{- $m := .Values.mqtt }}
{{- if $m.enabled }}
- name: MQTT_URL
  value: {{ required "mqtt.url: the broker's URL (mqtt://, mqtts://, ws:// or wss://) is required with mqtt.enabled" $m.url | quote }}
{{- with $m.username }}
- name: MQTT_USERNAME
  value: {{ . | quote }}
{{- end }}
{{- if $m.existingSecret }}
- name: MQTT_PASSWORD_FILE
  value: {{ printf "%s/password" (include "gpio-fleet-common.mqtt.passwordDir" .) | quote }}
{{- end }}
{{- if $m.caSecret }}
- name: MQTT_CA_FILE
  value: {{ printf "%s/ca.crt" (include "gpio-fleet-common.mqtt.caDir" .) | quote }}
{{- end }}
- name: MQTT_TOPIC_PREFIX
  value: {{ $m.topicPrefix | quote }}
- name: MQTT_HEARTBEAT
  value: {{ $m.heartbeat | quote }}
- name: MQTT_QUEUE_SIZE
  value: {{ $m.queueSize | toString | quote }}
- name: MQTT_DISCOVERY
  value: {{ $m.discovery.enabled | toString | quote }}
- name: MQTT_DISCOVERY_PREFIX
  value: {{ $m.discovery.prefix | quote }}
- name: MQTT_DISCOVERY_CLEANUP
  value: {{ $m.discovery.cleanup | toString | quote }}
{{- end }}
{{- end }}

{{/* The Secret volumes, as a YAML list of {name, secret, key, path}; empty unless needed. */}}
{{- define "gpio-fleet-common.mqtt.secretFiles" -}}
{{- $m := .Values.mqtt }}
{{- if $m.enabled }}
{{- if $m.existingSecret }}
- name: mqtt-password
  secret: {{ $m.existingSecret | quote }}
  key: {{ $m.passwordKey | quote }}
  file: password
  path: {{ include "gpio-fleet-common.mqtt.passwordDir" . | quote }}
{{- end }}
{{- if $m.caSecret }}
- name: mqtt-ca
  secret: {{ $m.caSecret | quote }}
  key: {{ $m.caKey | quote }}
  file: ca.crt
  path: {{ include "gpio-fleet-common.mqtt.caDir" . | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* The broker's TCP port: the URL's, else the transport's default. */}}
{{- define "gpio-fleet-common.mqtt.port" -}}
{{- $u := urlParse .Values.mqtt.url }}
{{- $port := regexFind ":[0-9]+$" $u.host | trimPrefix ":" }}
{{- if $port }}{{ $port }}{{ else }}{{ get (dict "mqtt" "1883" "mqtts" "8883" "ws" "80" "wss" "443") $u.scheme | default "1883" }}{{ end }}
{{- end }}

{{/* NetworkPolicy egress rules for MQTT: DNS, and the broker's port at mqtt.networkPolicyTo (or anywhere). */}}
{{- define "gpio-fleet-common.mqtt.egress" -}}
# DNS, to find the broker by its name.
- ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
# The broker.
- ports:
    - port: {{ include "gpio-fleet-common.mqtt.port" . }}
      protocol: TCP
  {{- with .Values.mqtt.networkPolicyTo }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
