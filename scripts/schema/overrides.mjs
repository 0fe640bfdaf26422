// What the OpenAPI definitions do not say about how the API server validates built-in objects,
// written by hand from the API server's validation code (k8s.io/kubernetes pkg/apis/*/validation,
// k8s.io/apimachinery pkg/api/validation and pkg/apis/meta/v1/validation). The generator merges
// these into the table; every entry says why it is here.
//
// Definition names are the OpenAPI ones without `io.k8s.` (and without `api.` for the API groups).

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const SCHEMES = ['HTTP', 'HTTPS'];
const POLICY_FAILURE = ['Ignore', 'Fail'];

/**
 * Closed sets of values. The OpenAPI files carry no enums, but validation rejects any other value
 * with "Unsupported value" (field.NotSupported). The empty string is always left alone: defaulting
 * fills it in before validation runs (for example `protocol: ""` becomes TCP).
 */
export const ENUMS = {
  'core.v1.Container': {
    imagePullPolicy: ['Always', 'IfNotPresent', 'Never'],
    terminationMessagePolicy: ['File', 'FallbackToLogsOnError'],
  },
  'core.v1.EphemeralContainer': {
    imagePullPolicy: ['Always', 'IfNotPresent', 'Never'],
    terminationMessagePolicy: ['File', 'FallbackToLogsOnError'],
  },
  'core.v1.ContainerPort': { protocol: PROTOCOLS },
  'core.v1.ServicePort': { protocol: PROTOCOLS },
  'core.v1.EndpointPort': { protocol: PROTOCOLS },
  'discovery.v1.EndpointPort': { protocol: PROTOCOLS },
  'networking.v1.NetworkPolicyPort': { protocol: PROTOCOLS },
  'core.v1.PodSpec': {
    restartPolicy: ['Always', 'OnFailure', 'Never'],
    dnsPolicy: ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'],
    preemptionPolicy: ['PreemptLowerPriority', 'Never'],
  },
  'core.v1.PodOS': { name: ['linux', 'windows'] },
  'core.v1.SecurityContext': { procMount: ['Default', 'Unmasked'] },
  'core.v1.SeccompProfile': { type: ['RuntimeDefault', 'Unconfined', 'Localhost'] },
  'core.v1.AppArmorProfile': { type: ['RuntimeDefault', 'Unconfined', 'Localhost'] },
  'core.v1.ServiceSpec': {
    type: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
    sessionAffinity: ['None', 'ClientIP'],
    externalTrafficPolicy: ['Cluster', 'Local'],
    internalTrafficPolicy: ['Cluster', 'Local'],
    ipFamilyPolicy: ['SingleStack', 'PreferDualStack', 'RequireDualStack'],
    ipFamilies: ['IPv4', 'IPv6'],
  },
  'core.v1.Toleration': { operator: ['Exists', 'Equal'], effect: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
  'core.v1.NodeSelectorRequirement': { operator: ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] },
  'apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement': { operator: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
  'core.v1.TopologySpreadConstraint': {
    whenUnsatisfiable: ['DoNotSchedule', 'ScheduleAnyway'],
    nodeAffinityPolicy: ['Honor', 'Ignore'],
    nodeTaintsPolicy: ['Honor', 'Ignore'],
  },
  'core.v1.HostPathVolumeSource': {
    type: ['DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'],
  },
  'core.v1.VolumeMount': {
    mountPropagation: ['None', 'HostToContainer', 'Bidirectional'],
    recursiveReadOnly: ['Disabled', 'IfPossible', 'Enabled'],
  },
  'core.v1.HTTPGetAction': { scheme: SCHEMES },
  'core.v1.PersistentVolumeClaimSpec': {
    accessModes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'],
    volumeMode: ['Block', 'Filesystem'],
  },
  'core.v1.PersistentVolumeSpec': {
    accessModes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'],
    volumeMode: ['Block', 'Filesystem'],
    persistentVolumeReclaimPolicy: ['Recycle', 'Delete', 'Retain'],
  },
  'core.v1.ContainerResizePolicy': { restartPolicy: ['NotRequired', 'RestartContainer'] },
  'apps.v1.DeploymentStrategy': { type: ['Recreate', 'RollingUpdate'] },
  'apps.v1.StatefulSetSpec': { podManagementPolicy: ['OrderedReady', 'Parallel'] },
  'apps.v1.StatefulSetUpdateStrategy': { type: ['RollingUpdate', 'OnDelete'] },
  'apps.v1.DaemonSetUpdateStrategy': { type: ['RollingUpdate', 'OnDelete'] },
  'batch.v1.CronJobSpec': { concurrencyPolicy: ['Allow', 'Forbid', 'Replace'] },
  'batch.v1.JobSpec': {
    completionMode: ['NonIndexed', 'Indexed'],
    podReplacementPolicy: ['TerminatingOrFailed', 'Failed'],
  },
  'networking.v1.NetworkPolicySpec': { policyTypes: ['Ingress', 'Egress'] },
  'networking.v1.HTTPIngressPath': { pathType: ['Exact', 'Prefix', 'ImplementationSpecific'] },
  'rbac.v1.Subject': { kind: ['User', 'Group', 'ServiceAccount'] },
  'admissionregistration.v1.ValidatingWebhook': {
    failurePolicy: POLICY_FAILURE,
    matchPolicy: ['Exact', 'Equivalent'],
    sideEffects: ['None', 'NoneOnDryRun'],
  },
  'admissionregistration.v1.MutatingWebhook': {
    failurePolicy: POLICY_FAILURE,
    matchPolicy: ['Exact', 'Equivalent'],
    sideEffects: ['None', 'NoneOnDryRun'],
    reinvocationPolicy: ['Never', 'IfNeeded'],
  },
  'admissionregistration.v1.RuleWithOperations': {
    operations: ['*', 'CREATE', 'UPDATE', 'DELETE', 'CONNECT'],
    scope: ['*', 'Cluster', 'Namespaced'],
  },
  'admissionregistration.v1.ValidatingAdmissionPolicySpec': { failurePolicy: POLICY_FAILURE },
  'admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec': { validationActions: ['Deny', 'Warn', 'Audit'] },
  'autoscaling.v2.MetricSpec': { type: ['Object', 'Pods', 'Resource', 'ContainerResource', 'External'] },
  'autoscaling.v2.MetricTarget': { type: ['Utilization', 'Value', 'AverageValue'] },
  'autoscaling.v2.HPAScalingPolicy': { type: ['Pods', 'Percent'] },
  'autoscaling.v2.HPAScalingRules': { selectPolicy: ['Max', 'Min', 'Disabled'] },
  'policy.v1.PodDisruptionBudgetSpec': { unhealthyPodEvictionPolicy: ['IfHealthyBudget', 'AlwaysAllow'] },
  'scheduling.v1.PriorityClass': { preemptionPolicy: ['PreemptLowerPriority', 'Never'] },
  'apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec': {
    scope: ['Cluster', 'Namespaced'],
  },
  'apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceConversion': { strategy: ['None', 'Webhook'] },
};

/**
 * Strings with a syntax the API server checks (apimachinery's ValidateLabels and
 * ValidateAnnotations, and the label-name checks of selectors and node affinity).
 */
export const FORMATS = {
  'apimachinery.pkg.apis.meta.v1.ObjectMeta': { labels: 'labels', annotations: 'annotations' },
  'apimachinery.pkg.apis.meta.v1.LabelSelector': { matchLabels: 'labels' },
  'apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement': { key: 'labelKey' },
  'core.v1.NodeSelectorRequirement': { key: 'labelKey' },
  'core.v1.PodSpec': { nodeSelector: 'labels' },
  'core.v1.ServiceSpec': { selector: 'labels' },
  'core.v1.ReplicationControllerSpec': { selector: 'labels' },
};

/**
 * Lists whose items validation requires to be unique by a key although the OpenAPI of older
 * releases does not mark them as list-maps (v1.33 added the markers): ValidatePodSpec reports
 * "Duplicate value" for repeated container and volume names, validateVolumeMounts for a repeated
 * mountPath.
 */
export const LIST_KEYS = {
  'core.v1.PodSpec': {
    containers: ['name'],
    initContainers: ['name'],
    ephemeralContainers: ['name'],
    volumes: ['name'],
  },
  'core.v1.Container': { volumeMounts: ['mountPath'] },
  'core.v1.EphemeralContainer': { volumeMounts: ['mountPath'] },
};

/**
 * Required string fields whose absence the API server accepts: the Go field has no
 * `omitempty`, so OpenAPI lists it as required, but validation takes "" as a valid value.
 */
export const OPTIONAL_STRINGS = [
  // ValidateStatefulSetSpec never required a service name; since v1.33 the field is marked
  // optional and validated only when set.
  'apps.v1.StatefulSetSpec.serviceName',
  // validateHTTPHeaders checks header names only; an empty value is a valid header.
  'core.v1.HTTPHeader.value',
  // validateSysctls checks names (and duplicates), not values.
  'core.v1.Sysctl.value',
];

/**
 * Required fields that are not strings and whose zero value (0, false, [], {}) the API server
 * rejects, so leaving them out is an error. Any other non-string field OpenAPI lists as
 * required is not reported: a missing struct, number or boolean is decoded as its zero value,
 * which validation often accepts (`NetworkPolicySpec.podSelector: {}` selects every pod,
 * `PriorityClass.value: 0` is a valid priority, `served: false` is a valid version).
 */
export const REQUIRED_NON_STRINGS = [
  // apps ValidateDeploymentSpec / ValidateDaemonSetSpec / ValidateStatefulSetSpec /
  // ValidateReplicaSetSpec: "selector: Required value"; an empty template has no containers.
  'apps.v1.Deployment.spec',
  'apps.v1.DaemonSet.spec',
  'apps.v1.StatefulSet.spec',
  'apps.v1.DeploymentSpec.selector',
  'apps.v1.DeploymentSpec.template',
  'apps.v1.DaemonSetSpec.selector',
  'apps.v1.DaemonSetSpec.template',
  'apps.v1.StatefulSetSpec.selector',
  'apps.v1.StatefulSetSpec.template',
  'apps.v1.ReplicaSetSpec.selector',
  // batch ValidateCronJobSpec and ValidateJobSpec: an empty template has no containers.
  'batch.v1.CronJob.spec',
  'batch.v1.CronJobSpec.jobTemplate',
  'batch.v1.JobSpec.template',
  // core ValidatePodSpec: "containers: Required value".
  'core.v1.PodSpec.containers',
  // Ports must be 1-65535 (0 is "must be between 1 and 65535, inclusive").
  'core.v1.ContainerPort.containerPort',
  'core.v1.ServicePort.port',
  'core.v1.EndpointPort.port',
  'core.v1.GRPCAction.port',
  'core.v1.HTTPGetAction.port',
  'core.v1.TCPSocketAction.port',
  // Weights must be 1-100; maxSkew must be greater than zero.
  'core.v1.PreferredSchedulingTerm.weight',
  'core.v1.PreferredSchedulingTerm.preference',
  'core.v1.WeightedPodAffinityTerm.weight',
  'core.v1.WeightedPodAffinityTerm.podAffinityTerm',
  'core.v1.TopologySpreadConstraint.maxSkew',
  // "must have at least one node selector term".
  'core.v1.NodeSelector.nodeSelectorTerms',
  // networking ValidateIngress: a path needs a backend; a rule value needs paths.
  'networking.v1.HTTPIngressPath.backend',
  'networking.v1.HTTPIngressRuleValue.paths',
  // rbac: an empty roleRef names no role; a rule needs verbs ("verbs: Required value").
  'rbac.v1.RoleBinding.roleRef',
  'rbac.v1.ClusterRoleBinding.roleRef',
  'rbac.v1.PolicyRule.verbs',
  // apiextensions ValidateCustomResourceDefinitionSpec.
  'apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition.spec',
  'apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec.names',
  'apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec.versions',
  'apiextensions-apiserver.pkg.apis.apiextensions.v1.WebhookConversion.conversionReviewVersions',
];

/**
 * Required by validation although OpenAPI does not list them: validateContainerCommon reports
 * "image: Required value" for every container kind.
 */
export const REQUIRED_EXTRA = ['core.v1.Container.image', 'core.v1.EphemeralContainer.image'];

/**
 * Definitions that are a free-form object on the wire (runtime.RawExtension, managed fields,
 * patches): anything goes. Other object definitions without properties are empty structs, where
 * strict decoding rejects every field.
 */
export const FREE_FORM = [
  'apimachinery.pkg.runtime.RawExtension',
  'apimachinery.pkg.apis.meta.v1.FieldsV1',
  'apimachinery.pkg.apis.meta.v1.Patch',
  'apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON',
];
