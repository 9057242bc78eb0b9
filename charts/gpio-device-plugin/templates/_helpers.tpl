{{/*
What makes this chart the device plugin. Names, labels and the image reference come from the
library chart gpio-fleet-common, as in the app charts.
*/}}

{{- define "gpio-device-plugin.component" -}}device-plugin{{- end }}

{{/* Where the container sees the kubelet's device-plugins directory and the host's /dev. */}}
{{- define "gpio-device-plugin.containerKubeletDir" -}}/var/lib/kubelet{{- end }}
{{- define "gpio-device-plugin.containerDevDir" -}}/host/dev{{- end }}

{{/*
The kube-score checks this release knowingly fails, for the DaemonSet's kube-score/ignore
annotation; each reason is in the values documentation or the README:
  container-image-pull-policy                image.pullPolicy is not Always: IfNotPresent keeps
                                             the plugin starting on a flaky network.
  container-security-context-user-group-id   the plugin runs as uid 0 (with no capabilities):
                                             only root may use the kubelet's sockets.
  pod-networkpolicy                          no NetworkPolicy: the plugin serves only /metrics,
                                             and a policy would have to name your Prometheus.
*/}}
{{- define "gpio-device-plugin.kubeScoreIgnores" -}}
{{- $ignores := list }}
{{- if ne .Values.image.pullPolicy "Always" }}
{{- $ignores = append $ignores "container-image-pull-policy" }}
{{- end }}
{{- $ignores = append $ignores "container-security-context-user-group-id" }}
{{- $ignores = append $ignores "pod-networkpolicy" }}
{{- join "," $ignores }}
{{- end }}
