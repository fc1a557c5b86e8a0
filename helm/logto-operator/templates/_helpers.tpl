{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "logto-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: the release name, with the chart name appended unless the release already contains it. */}}
{{- define "logto-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "logto-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "logto-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "logto-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Labels of the chart's own objects. Not app.kubernetes.io/managed-by=logto-operator: that value marks
the Secrets the operator writes; Helm's objects carry managed-by=Helm.
*/}}
{{- define "logto-operator.labels" -}}
helm.sh/chart: {{ include "logto-operator.chart" . }}
{{ include "logto-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: logto-operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "logto-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "logto-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "logto-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
The binding of a Role (namespace given) or ClusterRole to the operator's ServiceAccount, named as
the role: include with (dict "root" $ "kind" "Role"|"ClusterRole" "name" NAME ["namespace" NS]).
*/}}
{{- define "logto-operator.binding" -}}
apiVersion: rbac.authorization.k8s.io/v1
kind: {{ .kind }}Binding
metadata:
  name: {{ .name }}
  {{- with .namespace }}
  namespace: {{ . }}
  {{- end }}
  labels:
    {{- include "logto-operator.labels" .root | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: {{ .kind }}
  name: {{ .name }}
subjects:
  - kind: ServiceAccount
    name: {{ include "logto-operator.serviceAccountName" .root }}
    namespace: {{ .root.Release.Namespace }}
{{- end }}

{{/*
Rules for the custom resources, Secrets, ConfigMaps and Events, shared by the ClusterRole
(all namespaces) and the per-namespace Roles: exactly what the operator uses (HelmRbacIT compares
them with the requests of a run on a real API server). The finalizer is added and removed with a
patch of the object; status is written with an update of the status subresource; get re-reads an
object after a conflict. RBAC cannot filter by label: the operator itself only touches Secrets
labelled app.kubernetes.io/managed-by=logto-operator.
*/}}
{{- define "logto-operator.workloadRules" -}}
- apiGroups: ["m2m.logto.io"]
  resources: ["logtoapiresources", "logtoroles", "logtom2mapps", "logtoconnections"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["m2m.logto.io"]
  resources: ["logtoapiresources/status", "logtoroles/status", "logtom2mapps/status",
              "logtoconnections/status"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["secrets", "configmaps"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- if .Values.rolloutRestart.enabled }}
# spec.secret.rolloutRestart: a merge patch of the pod template's annotations (Fabric8 reads the
# workload first).
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets"]
  verbs: ["get", "patch"]
{{- end }}
{{- end }}

{{/*
ClusterLogtoConnections are cluster-scoped: in either mode a ClusterRole lets the operator watch
them and write their status, and read the labels of a namespace that one of them selects
(allowedNamespaces.selector) with a get. Their credentials Secrets and CA ConfigMaps are read in the
release namespace by default (see the release-namespace Role in watched-namespaces mode).
*/}}
{{- define "logto-operator.clusterConnectionRules" -}}
- apiGroups: ["m2m.logto.io"]
  resources: ["clusterlogtoconnections"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["m2m.logto.io"]
  resources: ["clusterlogtoconnections/status"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["namespaces"]
  verbs: ["get"]
{{- end }}
