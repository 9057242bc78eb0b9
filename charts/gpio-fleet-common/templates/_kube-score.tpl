{{/*
The kube-score checks this release knowingly fails, for the DaemonSet's kube-score/ignore
annotation. Each is listed only while its reason holds, and each reason is in the values
documentation of the key that decides it:
  container-image-pull-policy                image.pullPolicy is not Always: IfNotPresent keeps
                                             pods starting on a flaky network.
  container-resources                        no resources.limits.cpu: CFS throttling would stall
                                             the timing-critical loop. (kube-score's only check
                                             covering the CPU limit; the chart tests run it with
                                             --ignore-container-cpu-limit to check the rest.)
  pod-networkpolicy                          networkPolicy.enabled is false (opt-in: a policy
                                             must name the cluster's Prometheus).
  container-security-context-privileged      gpio.access=privileged, the explicit opt-in.
  container-security-context-user-group-id   the pigpio backend, which must run as root.
*/}}
{{- define "gpio-fleet-common.kubeScoreIgnores" -}}
{{- $ignores := list }}
{{- if ne .Values.image.pullPolicy "Always" }}
{{- $ignores = append $ignores "container-image-pull-policy" }}
{{- end }}
{{- if not (dig "limits" "cpu" "" (.Values.resources | default dict)) }}
{{- $ignores = append $ignores "container-resources" }}
{{- end }}
{{- if not .Values.networkPolicy.enabled }}
{{- $ignores = append $ignores "pod-networkpolicy" }}
{{- end }}
{{- if eq (include "gpio-fleet-common.gpio.access" .) "privileged" }}
{{- $ignores = append $ignores "container-security-context-privileged" }}
{{- end }}
{{- if include "gpio-fleet-common.gpio.needsRoot" . }}
{{- $ignores = append $ignores "container-security-context-user-group-id" }}
{{- end }}
{{- join "," $ignores }}
{{- end }}
