{{/*
The app DaemonSet: one pod per matching node. App charts render it with
  {{ include "gpio-fleet-common.daemonset" . }}
and provide two named templates of their own:
  "<chart>.component"  the app.kubernetes.io/component value
  "<chart>.env"        the app's settings as a YAML list of EnvVar (may be empty)
The image's entrypoint is the app itself, so the chart passes only env and extraArgs.
*/}}
{{- define "gpio-fleet-common.daemonset" -}}
{{- $hostPaths := include "gpio-fleet-common.gpio.hostPaths" . | fromYamlArray }}
{{- $scratchDirs := include "gpio-fleet-common.gpio.scratchDirs" . | fromYamlArray }}
{{- $chip := include "gpio-fleet-common.gpio.chip" . }}
{{- $mqttFiles := include "gpio-fleet-common.mqtt.secretFiles" . | fromYamlArray }}
{{- $podLabels := include "gpio-fleet-common.objectLabels" (dict "root" . "extra" .Values.podLabels) | fromYaml }}
{{- $podAnnotations := deepCopy (.Values.podAnnotations | default dict) }}
{{- if .Values.metrics.podAnnotations }}
{{- $_ := set $podAnnotations "prometheus.io/scrape" "true" }}
{{- $_ := set $podAnnotations "prometheus.io/port" (toString .Values.metrics.port) }}
{{- $_ := set $podAnnotations "prometheus.io/path" "/metrics" }}
{{- end }}
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: {{ include "gpio-fleet-common.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "gpio-fleet-common.labels" . | nindent 4 }}
  annotations:
    # What the image runs on; gpio-fleet doctor checks each node's architecture against it.
    gpio-fleet.io/platforms: {{ join "," .Values.image.platforms | quote }}
    {{- with include "gpio-fleet-common.kubeScoreIgnores" . }}
    # Checks failed on purpose; the reasons are in templates/_kube-score.tpl and values.yaml.
    kube-score/ignore: {{ . | quote }}
    {{- end }}
spec:
  revisionHistoryLimit: {{ .Values.revisionHistoryLimit }}
  selector:
    matchLabels:
      {{- include "gpio-fleet-common.selectorLabels" . | nindent 6 }}
  updateStrategy:
    {{- toYaml .Values.updateStrategy | nindent 4 }}
  template:
    metadata:
      labels:
        {{- toYaml $podLabels | nindent 8 }}
      {{- with $podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      # The apps never call the Kubernetes API.
      automountServiceAccountToken: false
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
      securityContext:
        {{- include "gpio-fleet-common.gpio.podSecurityContext" . | trim | nindent 8 }}
      {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .Chart.Name }}
          image: {{ include "gpio-fleet-common.image" . | quote }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          {{- with .Values.extraArgs }}
          args:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          env:
            # Every metric series carries node="<node name>".
            - name: NODE_NAME
              valueFrom:
                fieldRef:
                  fieldPath: spec.nodeName
            - name: GPIO_BACKEND
              value: {{ include "gpio-fleet-common.gpio.backend" . | quote }}
            {{- with $chip }}
            - name: GPIO_CHIP
              value: {{ . | quote }}
            {{- end }}
            - name: METRICS_PORT
              value: {{ .Values.metrics.port | quote }}
            - name: LOG_LEVEL
              value: {{ .Values.logLevel | quote }}
            # JSON lines for the cluster's log collector, even if the pod were given a TTY.
            - name: LOG_FORMAT
              value: json
            {{- with include (printf "%s.env" .Chart.Name) . | trim }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- with include "gpio-fleet-common.mqtt.env" . | trim }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- with .Values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          ports:
            - name: metrics
              containerPort: {{ .Values.metrics.port }}
              protocol: TCP
          livenessProbe:
            httpGet:
              path: /healthz
              port: metrics
            {{- with .Values.livenessProbe }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          readinessProbe:
            httpGet:
              path: /readyz
              port: metrics
            {{- with .Values.readinessProbe }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          securityContext:
            {{- include "gpio-fleet-common.gpio.containerSecurityContext" . | trim | nindent 12 }}
          resources:
            {{- include "gpio-fleet-common.gpio.resources" . | trim | nindent 12 }}
          {{- if or $hostPaths $scratchDirs $mqttFiles }}
          volumeMounts:
            {{- range $hostPaths }}
            - name: {{ .name }}
              mountPath: {{ .path }}
            {{- end }}
            {{- range $scratchDirs }}
            - name: {{ .name }}
              mountPath: {{ .path }}
            {{- end }}
            {{- range $mqttFiles }}
            - name: {{ .name }}
              mountPath: {{ .path }}
              readOnly: true
            {{- end }}
          {{- end }}
      {{- if or $hostPaths $scratchDirs $mqttFiles }}
      volumes:
        {{- range $hostPaths }}
        - name: {{ .name }}
          hostPath:
            path: {{ .path }}
            type: {{ .type }}
        {{- end }}
        {{- range $scratchDirs }}
        - name: {{ .name }}
          emptyDir:
            medium: Memory
            sizeLimit: 1Mi
        {{- end }}
        {{- range $mqttFiles }}
        - name: {{ .name }}
          secret:
            secretName: {{ .secret }}
            items:
              - key: {{ .key }}
                path: {{ .file }}
        {{- end }}
      {{- end }}
{{- end }}
