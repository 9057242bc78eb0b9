{{/*
An opt-in NetworkPolicy (networkPolicy.enabled): the pods accept connections only on their
metrics port, only from the Prometheus pods the values name (and networkPolicy.extraFrom), and
open none themselves: the apps serve /metrics and drive GPIO, nothing else. Egress is listed in
policyTypes with no rule, which denies all of it; with mqtt.enabled, DNS and the broker's port
are let through (templates/_mqtt.tpl).
*/}}
{{- define "gpio-fleet-common.networkPolicy" -}}
{{- if .Values.networkPolicy.enabled }}
{{- $np := .Values.networkPolicy }}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "gpio-fleet-common.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "gpio-fleet-common.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "gpio-fleet-common.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              {{- toYaml ($np.prometheusNamespaceLabels | default dict) | nindent 14 }}
          podSelector:
            matchLabels:
              {{- toYaml ($np.prometheusPodLabels | default dict) | nindent 14 }}
        {{- with $np.extraFrom }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      ports:
        - port: metrics
          protocol: TCP
  {{- if .Values.mqtt.enabled }}
  egress:
    {{- include "gpio-fleet-common.mqtt.egress" . | nindent 4 }}
  {{- end }}
{{- end }}
{{- end }}
