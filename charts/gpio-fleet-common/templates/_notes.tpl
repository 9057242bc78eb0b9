{{/* NOTES.txt text shared by the app charts: how to label nodes, check pods, reach metrics. */}}
{{- define "gpio-fleet-common.notes" -}}
{{- $fullname := include "gpio-fleet-common.fullname" . }}
{{- $ns := .Release.Namespace }}
{{- $access := include "gpio-fleet-common.gpio.access" . }}
{{- $selector := printf "app.kubernetes.io/name=%s,app.kubernetes.io/instance=%s" (include "gpio-fleet-common.name" .) .Release.Name }}
{{- $nodeLabels := list }}
{{- range $k, $v := .Values.nodeSelector }}
{{- $nodeLabels = append $nodeLabels (printf "%s=%s" $k $v) }}
{{- end }}
{{ .Chart.Name }} {{ include "gpio-fleet-common.version" . }} is installed as DaemonSet {{ $ns }}/{{ $fullname }}:
one pod on every node that matches its nodeSelector.

GPIO access: {{ $access }} (GPIO_BACKEND={{ include "gpio-fleet-common.gpio.backend" . }})
{{- if eq $access "devicePlugin" }}
  Each pod requests {{ .Values.gpio.devicePlugin.resource }}: 1. Install the device plugin first: helm install gpio-device-plugin charts/gpio-device-plugin
  (or another plugin that advertises {{ .Values.gpio.devicePlugin.resource }}); until a node advertises it, pods there
  stay Pending with "Insufficient {{ .Values.gpio.devicePlugin.resource }}".
  The container runs as user 65534 with supplemental group {{ .Values.gpio.groupId }}, which must be the
  group that owns the device on the node: check with `stat -c %g /dev/gpiochip0` there.
{{- else if eq $access "privileged" }}
  The container is PRIVILEGED (backend {{ .Values.gpio.privileged.backend }}). The namespace must allow
  Pod Security "privileged":
    kubectl label namespace {{ $ns }} pod-security.kubernetes.io/enforce=privileged --overwrite
{{- else }}
  The pods run the MOCK backend: readings are simulated and no GPIO is touched.
  Their metrics say so: gpio_backend_info{backend="mock"}.
{{- end }}

1. Label the nodes that have the hardware:
{{- if $nodeLabels }}
     kubectl label node <node-name> {{ join " " $nodeLabels }}
     kubectl get nodes -l {{ join "," $nodeLabels }}
   A pod starts on a node within seconds of it getting the label; removing the label
   (kubectl label node <node-name> {{ range $k, $v := .Values.nodeSelector }}{{ $k }}- {{ end }}) removes the pod.
{{- else }}
   nodeSelector is empty, so pods run on every node that tolerates them.
{{- end }}

2. Check the pods:
     kubectl -n {{ $ns }} rollout status daemonset/{{ $fullname }}
     kubectl -n {{ $ns }} get pods -o wide -l {{ $selector }}
     kubectl -n {{ $ns }} logs -l {{ $selector }} --prefix

3. Reach the metrics (/metrics, /healthz, /readyz on the port named "metrics", {{ .Values.metrics.port }}):
     POD=$(kubectl -n {{ $ns }} get pods -l {{ $selector }} -o jsonpath='{.items[0].metadata.name}')
     kubectl -n {{ $ns }} port-forward "pod/$POD" {{ .Values.metrics.port }}:metrics
     curl -s http://127.0.0.1:{{ .Values.metrics.port }}/metrics | grep gpio_backend_info
{{- if include "gpio-fleet-common.service.enabled" . }}
   Through the Service: kubectl -n {{ $ns }} port-forward svc/{{ $fullname }} {{ .Values.service.port }}:metrics
{{- end }}
{{- if .Values.serviceMonitor.enabled }}
   ServiceMonitor {{ .Values.serviceMonitor.namespace | default $ns }}/{{ $fullname }} tells prometheus-operator to scrape them.
{{- end }}
{{- if .Values.podMonitor.enabled }}
   PodMonitor {{ .Values.podMonitor.namespace | default $ns }}/{{ $fullname }} tells prometheus-operator to scrape them.
{{- end }}
{{- if .Values.grafanaDashboard.enabled }}
   Grafana dashboard: ConfigMap {{ .Values.grafanaDashboard.namespace | default $ns }}/{{ $fullname }}-dashboard (label grafana_dashboard="1").
{{- end }}
{{- end }}
