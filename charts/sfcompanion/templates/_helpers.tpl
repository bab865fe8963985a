{{/* Names and labels. */}}
{{- define "sfcompanion.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "sfcompanion.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "sfcompanion.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "sfcompanion.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one component (web, worker, redis): call with (dict "root" $ "component" "web"). */}}
{{- define "sfcompanion.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sfcompanion.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "sfcompanion.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "sfcompanion.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "sfcompanion.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* host:port of Redis. */}}
{{- define "sfcompanion.redisAddress" -}}
{{- if eq .Values.redis.mode "internal" -}}
{{- printf "%s-redis:6379" (include "sfcompanion.fullname" .) -}}
{{- else -}}
{{- required "redis.external.address is required with redis.mode=external (host:port of your Redis)" .Values.redis.external.address -}}
{{- end -}}
{{- end -}}

{{/*
Flattens a configuration map into environment variables Section__Key (lists by index). Call with
(dict "prefix" "" "value" .Values.config).
*/}}
{{- define "sfcompanion.flatten" -}}
{{- $prefix := .prefix -}}
{{- range $key, $value := .value }}
{{- $name := ternary (printf "%v" $key) (printf "%s__%v" $prefix $key) (eq $prefix "") }}
{{- if kindIs "map" $value }}
{{- include "sfcompanion.flatten" (dict "prefix" $name "value" $value) }}
{{- else if kindIs "slice" $value }}
{{- $items := dict }}
{{- range $i, $item := $value }}{{- $_ := set $items (printf "%d" $i) $item }}{{- end }}
{{- include "sfcompanion.flatten" (dict "prefix" $name "value" $items) }}
{{- else if not (kindIs "invalid" $value) }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The pod spec shared by web and worker: call with (dict "root" $ "role" "web" "component" .Values.web). */}}
{{- define "sfcompanion.podSpec" -}}
{{- $root := .root -}}
serviceAccountName: {{ include "sfcompanion.serviceAccountName" $root }}
automountServiceAccountToken: false
terminationGracePeriodSeconds: {{ $root.Values.terminationGracePeriodSeconds }}
{{- with $root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml $root.Values.podSecurityContext | nindent 2 }}
containers:
  - name: sfcompanion
    image: {{ include "sfcompanion.image" $root }}
    imagePullPolicy: {{ $root.Values.image.pullPolicy }}
    securityContext:
      {{- toYaml $root.Values.securityContext | nindent 6 }}
    ports:
      - name: http
        containerPort: 8080
        protocol: TCP
    envFrom:
      - configMapRef:
          name: {{ include "sfcompanion.fullname" $root }}
    env:
      - name: HOSTING__ROLE
        value: {{ .role | quote }}
      - name: HOSTING__SHUTDOWNTIMEOUTSECONDS
        value: {{ sub $root.Values.terminationGracePeriodSeconds 5 | quote }}
      {{- if $root.Values.redis.passwordKey }}
      - name: REDIS_PASSWORD
        valueFrom:
          secretKeyRef:
            name: {{ required "secrets.existingSecret is required with redis.passwordKey" $root.Values.secrets.existingSecret }}
            key: {{ $root.Values.redis.passwordKey }}
      - name: STORAGE__REDIS__CONNECTIONSTRING
        value: {{ printf "%s,password=$(REDIS_PASSWORD),ssl=%t,abortConnect=false" (include "sfcompanion.redisAddress" $root) (and (eq $root.Values.redis.mode "external") $root.Values.redis.external.ssl) | quote }}
      {{- else }}
      - name: STORAGE__REDIS__CONNECTIONSTRING
        value: {{ printf "%s,ssl=%t,abortConnect=false" (include "sfcompanion.redisAddress" $root) (and (eq $root.Values.redis.mode "external") $root.Values.redis.external.ssl) | quote }}
      {{- end }}
      {{- if eq .role "web" }}
      {{- if $root.Values.web.clickJournal.existingClaim }}
      - name: POD_NAME
        valueFrom:
          fieldRef:
            fieldPath: metadata.name
      - name: TRACKING__JOURNALDIRECTORY
        value: "/var/lib/sfcompanion/click-journal/$(POD_NAME)"
      - name: TRACKING__JOURNALADOPTSIBLINGS
        value: "true"
      {{- else }}
      - name: TRACKING__JOURNALDIRECTORY
        value: "/var/lib/sfcompanion/click-journal"
      {{- end }}
      {{- end }}
      {{- if $root.Values.secrets.existingSecret }}
      - name: SFCOMPANION_SECRETS_FILE
        value: {{ printf "/run/secrets/sfcompanion/%s" $root.Values.secrets.secretsFileKey | quote }}
      {{- if $root.Values.secrets.salesforcePrivateKeyKey }}
      - name: SALESFORCE__PRIVATEKEYPATH
        value: {{ printf "/run/secrets/sfcompanion/%s" $root.Values.secrets.salesforcePrivateKeyKey | quote }}
      {{- end }}
      {{- end }}
    readinessProbe:
      httpGet:
        path: /health/ready
        port: http
      periodSeconds: 10
      timeoutSeconds: 5
      failureThreshold: 3
    livenessProbe:
      httpGet:
        path: /health/live
        port: http
      periodSeconds: 20
      timeoutSeconds: 5
      failureThreshold: 3
    startupProbe:
      httpGet:
        path: /health/live
        port: http
      periodSeconds: 2
      failureThreshold: 60
    resources:
      {{- toYaml .component.resources | nindent 6 }}
    volumeMounts:
      - name: tmp
        mountPath: /tmp
      {{- if eq .role "web" }}
      - name: click-journal
        mountPath: /var/lib/sfcompanion/click-journal
      {{- end }}
      {{- if $root.Values.secrets.existingSecret }}
      - name: secrets
        mountPath: /run/secrets/sfcompanion
        readOnly: true
      {{- end }}
volumes:
  # The root file system is read-only; .NET and ASP.NET Core write temporary files here.
  - name: tmp
    emptyDir:
      sizeLimit: 256Mi
  {{- if eq .role "web" }}
  # The click journal (docs/tracking.md#click-durability): clicks answered but not yet in Redis.
  - name: click-journal
    {{- if $root.Values.web.clickJournal.existingClaim }}
    persistentVolumeClaim:
      claimName: {{ $root.Values.web.clickJournal.existingClaim }}
    {{- else }}
    emptyDir:
      sizeLimit: {{ $root.Values.web.clickJournal.sizeLimit }}
    {{- end }}
  {{- end }}
  {{- if $root.Values.secrets.existingSecret }}
  - name: secrets
    secret:
      secretName: {{ $root.Values.secrets.existingSecret }}
      defaultMode: 0440
  {{- end }}
{{- with .component.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .component.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .component.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
