{{/*
GPIO access modes (values key gpio.access). Everything that differs between the modes is
decided here, so the DaemonSet template stays the same for every mode and every app:

  devicePlugin  a device plugin hands /dev/gpiochipN to an unprivileged, non-root pod
                (Pod Security "restricted"); the app uses the GPIO character device.
  privileged    a privileged container with hostPath mounts for the chosen backend
                (gpio.privileged.backend); needs Pod Security "privileged".
  none          the app's mock backend; no host access at all.
*/}}

{{/* Fails with a message naming the key, for renders that skip the values schema. */}}
{{- define "gpio-fleet-common.gpio.access" -}}
{{- $access := .Values.gpio.access }}
{{- if not (has $access (list "devicePlugin" "privileged" "none")) }}
{{- fail (printf "gpio.access must be one of devicePlugin, privileged, none (got %q)" (toString $access)) }}
{{- end }}
{{- $access }}
{{- end }}

{{/* The value of GPIO_BACKEND: which of the app's backends this mode runs. */}}
{{- define "gpio-fleet-common.gpio.backend" -}}
{{- $access := include "gpio-fleet-common.gpio.access" . }}
{{- if eq $access "devicePlugin" }}gpiochip
{{- else if eq $access "privileged" }}
{{- $backend := .Values.gpio.privileged.backend }}
{{- if not (has $backend (list "gpiochip" "pigpio" "onoff")) }}
{{- fail (printf "gpio.privileged.backend must be one of gpiochip, pigpio, onoff (got %q)" (toString $backend)) }}
{{- end }}
{{- $backend }}
{{- else }}mock
{{- end }}
{{- end }}

{{/* The value of GPIO_CHIP, or nothing to let the app find the header chip by its label. */}}
{{- define "gpio-fleet-common.gpio.chip" -}}
{{- $access := include "gpio-fleet-common.gpio.access" . }}
{{- if eq $access "devicePlugin" }}
{{- .Values.gpio.devicePlugin.chip }}
{{- else if and (eq $access "privileged") (eq .Values.gpio.privileged.backend "gpiochip") }}
{{- .Values.gpio.privileged.chip }}
{{- end }}
{{- end }}

{{/* Only pigpio needs root: it maps /dev/mem. Every other mode runs as nobody (65534). */}}
{{- define "gpio-fleet-common.gpio.needsRoot" -}}
{{- if eq (include "gpio-fleet-common.gpio.backend" .) "pigpio" }}true{{ end }}
{{- end }}

{{/*
Host paths each privileged backend needs, as a YAML list of {name, path, type}; empty in the
other modes. A character device must be mounted with type CharDevice (a missing device then
fails the pod visibly instead of creating an empty file or directory in its place).
  gpiochip  /dev/<chip>: the GPIO character device.
  pigpio    /dev/mem and /dev/gpiomem: pigpio maps the GPIO registers through them.
  onoff     /sys/class/gpio: the export/unexport files. Exporting a line creates
            /sys/class/gpio/gpioN as a link into /sys/devices/platform/.../gpio/gpioN, where
            direction, edge and value are then written, so that tree is mounted too.
*/}}
{{- define "gpio-fleet-common.gpio.hostPaths" -}}
{{- if eq (include "gpio-fleet-common.gpio.access" .) "privileged" }}
{{- $backend := include "gpio-fleet-common.gpio.backend" . }}
{{- if eq $backend "gpiochip" }}
- name: host-dev-gpiochip
  path: /dev/{{ .Values.gpio.privileged.chip }}
  type: CharDevice
{{- else if eq $backend "pigpio" }}
- name: host-dev-mem
  path: /dev/mem
  type: CharDevice
- name: host-dev-gpiomem
  path: /dev/gpiomem
  type: CharDevice
{{- else if eq $backend "onoff" }}
- name: host-sys-class-gpio
  path: /sys/class/gpio
  type: Directory
- name: host-sys-devices-platform
  path: /sys/devices/platform
  type: Directory
{{- end }}
{{- end }}
{{- end }}

{{/*
Writable scratch space a backend needs although the root filesystem is read-only, as a YAML
list of {name, path}: pigpio writes its lock file /var/run/pigpio.pid.
*/}}
{{- define "gpio-fleet-common.gpio.scratchDirs" -}}
{{- if eq (include "gpio-fleet-common.gpio.backend" .) "pigpio" }}
- name: var-run
  path: /var/run
{{- end }}
{{- end }}

{{/* Pod securityContext. supplementalGroups gives the non-root user the host's gpio group. */}}
{{- define "gpio-fleet-common.gpio.podSecurityContext" -}}
{{- $access := include "gpio-fleet-common.gpio.access" . }}
{{- if include "gpio-fleet-common.gpio.needsRoot" . }}
runAsNonRoot: false
runAsUser: 0
runAsGroup: 0
{{- else }}
runAsNonRoot: true
runAsUser: 65534
runAsGroup: 65534
{{- if ne $access "none" }}
supplementalGroups:
  - {{ .Values.gpio.groupId }}
{{- end }}
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
Container securityContext. The unprivileged modes meet every rule of Pod Security
"restricted". A privileged container gets every capability anyway, and Kubernetes rejects
allowPrivilegeEscalation: false together with privileged: true.
*/}}
{{- define "gpio-fleet-common.gpio.containerSecurityContext" -}}
{{- if eq (include "gpio-fleet-common.gpio.access" .) "privileged" }}
privileged: true
allowPrivilegeEscalation: true
readOnlyRootFilesystem: true
{{- else }}
privileged: false
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop:
    - ALL
{{- end }}
{{- end }}

{{/* Container resources: .Values.resources plus, in devicePlugin mode, one GPIO device. */}}
{{- define "gpio-fleet-common.gpio.resources" -}}
{{- $resources := deepCopy (.Values.resources | default dict) }}
{{- if eq (include "gpio-fleet-common.gpio.access" .) "devicePlugin" }}
{{- $limits := deepCopy (get $resources "limits" | default dict) }}
{{- $_ := set $limits .Values.gpio.devicePlugin.resource 1 }}
{{- $_ := set $resources "limits" $limits }}
{{- end }}
{{- toYaml $resources }}
{{- end }}
