{{/*
Whether the Service is rendered: when asked for, or when a ServiceMonitor needs one to select.
*/}}
{{- define "gpio-fleet-common.service.enabled" -}}
{{- if or .Values.service.enabled .Values.serviceMonitor.enabled }}true{{ end }}
{{- end }}

{{/* An optional Service in front of the pods' metrics port. */}}
{{- define "gpio-fleet-common.service" -}}
{{- if include "gpio-fleet-common.service.enabled" . }}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "gpio-fleet-common.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "gpio-fleet-common.objectLabels" (dict "root" . "extra" .Values.service.labels) | nindent 4 }}
  {{- with .Values.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ .Values.service.type }}
  selector:
    {{- include "gpio-fleet-common.selectorLabels" . | nindent 4 }}
  ports:
    - name: metrics
      port: {{ .Values.service.port }}
      targetPort: metrics
      protocol: TCP
{{- end }}
{{- end }}
