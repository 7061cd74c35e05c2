/**
 * Field descriptions of the Kubernetes API types (their OpenAPI/Swagger docs, as shipped with
 * @kubernetes/client-node), used as Table column descriptions like Kubernetes' printers do.
 */
// Generated from @kubernetes/client-node's model docs; regenerate rather than edit by hand.
export const swaggerDocs: Record<string, Record<string, string>> = {
  V1PodStatus: {
    nominatedNodeName:
      'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
    podIP:
      'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
  },
  V1PodSpec: {
    nodeName:
      'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename',
    nodeSelector:
      "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/",
    readinessGates:
      'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
  },
  V1ServiceSpec: {
    clusterIP:
      'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above). Valid values are "None", empty string (""), or a valid IP address. Setting this to "None" makes a "headless service" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required. Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies',
    externalIPs:
      'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service. These IPs are not managed by Kubernetes. The user is responsible for ensuring that traffic arrives at a node with this IP. A common example is external load-balancers that are not part of the Kubernetes system.',
    ports:
      'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies',
    selector:
      'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/',
    type: 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. "ClusterIP" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is "None", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. "NodePort" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. "LoadBalancer" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. "ExternalName" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types',
  },
  V1Endpoints: {
    subsets:
      'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.',
  },
  V1NodeSystemInfo: {
    containerRuntimeVersion:
      'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
    kernelVersion: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
    kubeletVersion: 'Kubelet Version reported by the node.',
    osImage: 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
  },
  V1NodeStatus: {
    addresses:
      "Kubernetes * No description provided (generated by Openapi Generator https://github.com/openapitools/openapi-generator) * * OpenAPI spec version: v1.34.0 * * * NOTE: This class is auto generated by OpenAPI Generator (https://openapi-generator.tech). * https://openapi-generator.tech * Do not edit the class manually. */ import { V1AttachedVolume } from '../models/V1AttachedVolume.js'; import { V1ContainerImage } from '../models/V1ContainerImage.js'; import { V1NodeAddress } from '../models/V1NodeAddress.js'; import { V1NodeCondition } from '../models/V1NodeCondition.js'; import { V1NodeConfigStatus } from '../models/V1NodeConfigStatus.js'; import { V1NodeDaemonEndpoints } from '../models/V1NodeDaemonEndpoints.js'; import { V1NodeFeatures } from '../models/V1NodeFeatures.js'; import { V1NodeRuntimeHandler } from '../models/V1NodeRuntimeHandler.js'; import { V1NodeSystemInfo } from '../models/V1NodeSystemInfo.js'; /** * NodeStatus is information about the current status of a node. */ export declare class V1NodeStatus { /** * List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).",
  },
  CoreV1Event: {
    count: 'The number of times this event has occurred.',
    firstTimestamp:
      'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
    lastTimestamp: 'The time at which the most recent occurrence of this event was recorded.',
    message: 'A human-readable description of the status of this operation.',
    reason:
      "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    type: 'Type of this event (Normal, Warning), new types could be added in the future',
  },
  V1ObjectReference: {
    fieldPath:
      'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.',
    kind: 'Kind of the referent. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
  },
  V1Secret: {
    data: "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
    type: 'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types',
  },
  V1ServiceAccount: {
    secrets:
      'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a "kubernetes.io/enforce-mountable-secrets" annotation set to "true". The "kubernetes.io/enforce-mountable-secrets" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret',
  },
  V1ConfigMap: {
    data: "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
  },
  V1PersistentVolumeSpec: {
    accessModes:
      "Kubernetes * No description provided (generated by Openapi Generator https://github.com/openapitools/openapi-generator) * * OpenAPI spec version: v1.34.0 * * * NOTE: This class is auto generated by OpenAPI Generator (https://openapi-generator.tech). * https://openapi-generator.tech * Do not edit the class manually. */ import { V1AWSElasticBlockStoreVolumeSource } from '../models/V1AWSElasticBlockStoreVolumeSource.js'; import { V1AzureDiskVolumeSource } from '../models/V1AzureDiskVolumeSource.js'; import { V1AzureFilePersistentVolumeSource } from '../models/V1AzureFilePersistentVolumeSource.js'; import { V1CSIPersistentVolumeSource } from '../models/V1CSIPersistentVolumeSource.js'; import { V1CephFSPersistentVolumeSource } from '../models/V1CephFSPersistentVolumeSource.js'; import { V1CinderPersistentVolumeSource } from '../models/V1CinderPersistentVolumeSource.js'; import { V1FCVolumeSource } from '../models/V1FCVolumeSource.js'; import { V1FlexPersistentVolumeSource } from '../models/V1FlexPersistentVolumeSource.js'; import { V1FlockerVolumeSource } from '../models/V1FlockerVolumeSource.js'; import { V1GCEPersistentDiskVolumeSource } from '../models/V1GCEPersistentDiskVolumeSource.js'; import { V1GlusterfsPersistentVolumeSource } from '../models/V1GlusterfsPersistentVolumeSource.js'; import { V1HostPathVolumeSource } from '../models/V1HostPathVolumeSource.js'; import { V1ISCSIPersistentVolumeSource } from '../models/V1ISCSIPersistentVolumeSource.js'; import { V1LocalVolumeSource } from '../models/V1LocalVolumeSource.js'; import { V1NFSVolumeSource } from '../models/V1NFSVolumeSource.js'; import { V1ObjectReference } from '../models/V1ObjectReference.js'; import { V1PhotonPersistentDiskVolumeSource } from '../models/V1PhotonPersistentDiskVolumeSource.js'; import { V1PortworxVolumeSource } from '../models/V1PortworxVolumeSource.js'; import { V1QuobyteVolumeSource } from '../models/V1QuobyteVolumeSource.js'; import { V1RBDPersistentVolumeSource } from '../models/V1RBDPersistentVolumeSource.js'; import { V1ScaleIOPersistentVolumeSource } from '../models/V1ScaleIOPersistentVolumeSource.js'; import { V1StorageOSPersistentVolumeSource } from '../models/V1StorageOSPersistentVolumeSource.js'; import { V1VolumeNodeAffinity } from '../models/V1VolumeNodeAffinity.js'; import { V1VsphereVirtualDiskVolumeSource } from '../models/V1VsphereVirtualDiskVolumeSource.js'; /** * PersistentVolumeSpec is the specification of a persistent volume. */ export declare class V1PersistentVolumeSpec { /** * accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes",
    capacity:
      "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity",
    persistentVolumeReclaimPolicy:
      'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming',
    volumeMode:
      'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.',
  },
  V1PersistentVolumeStatus: {
    phase:
      'phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase',
    reason:
      'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.',
  },
  V1PersistentVolumeClaimSpec: {
    volumeMode:
      'volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.',
    volumeName: 'volumeName is the binding reference to the PersistentVolume backing this claim.',
  },
  V1PersistentVolumeClaimStatus: {
    accessModes:
      "Kubernetes * No description provided (generated by Openapi Generator https://github.com/openapitools/openapi-generator) * * OpenAPI spec version: v1.34.0 * * * NOTE: This class is auto generated by OpenAPI Generator (https://openapi-generator.tech). * https://openapi-generator.tech * Do not edit the class manually. */ import { V1ModifyVolumeStatus } from '../models/V1ModifyVolumeStatus.js'; import { V1PersistentVolumeClaimCondition } from '../models/V1PersistentVolumeClaimCondition.js'; /** * PersistentVolumeClaimStatus is the current status of a persistent volume claim. */ export declare class V1PersistentVolumeClaimStatus { /** * accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1",
    capacity: 'capacity represents the actual resources of the underlying volume.',
    phase: 'phase represents the current phase of PersistentVolumeClaim.',
  },
  V1ReplicationControllerSpec: {
    replicas:
      'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller',
    selector:
      'Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
  },
  V1ReplicationControllerStatus: {
    readyReplicas: 'The number of ready replicas for this replication controller.',
    replicas:
      'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller',
  },
  V1DeploymentSpec: {},
  V1DeploymentStatus: {
    availableReplicas:
      "Kubernetes * No description provided (generated by Openapi Generator https://github.com/openapitools/openapi-generator) * * OpenAPI spec version: v1.34.0 * * * NOTE: This class is auto generated by OpenAPI Generator (https://openapi-generator.tech). * https://openapi-generator.tech * Do not edit the class manually. */ import { V1DeploymentCondition } from '../models/V1DeploymentCondition.js'; /** * DeploymentStatus is the most recently observed status of the Deployment. */ export declare class V1DeploymentStatus { /** * Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.",
    updatedReplicas:
      'Total number of non-terminating pods targeted by this deployment that have the desired template spec.',
  },
  V1ReplicaSetSpec: {
    replicas:
      'Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset',
  },
  V1ReplicaSetStatus: {
    readyReplicas: 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.',
    replicas:
      'Replicas is the most recently observed number of non-terminating pods. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset',
  },
  V1DaemonSetSpec: {},
  V1DaemonSetStatus: {
    currentNumberScheduled:
      'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/',
    desiredNumberScheduled:
      'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/',
    numberAvailable:
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
    numberReady:
      'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.',
    updatedNumberScheduled: 'The total number of nodes that are running updated daemon pod',
  },
  V1JobSpec: {
    completions:
      'Specifies the desired number of successfully finished pods the job should be run with. Setting to null means that the success of any pod signals the success of all pods, and allows parallelism to have any positive value. Setting to 1 means that parallelism is limited to 1 and the success of that pod signals the success of the job. More info: https://kubernetes.io/docs/concepts/workloads/controllers/jobs-run-to-completion/',
  },
  V1JobStatus: {
    succeeded:
      'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.',
  },
  V1CronJobSpec: {
    schedule: 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.',
    suspend:
      'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions. Defaults to false.',
    timeZone:
      'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones',
  },
  V1CronJobStatus: {
    active:
      "Kubernetes * No description provided (generated by Openapi Generator https://github.com/openapitools/openapi-generator) * * OpenAPI spec version: v1.34.0 * * * NOTE: This class is auto generated by OpenAPI Generator (https://openapi-generator.tech). * https://openapi-generator.tech * Do not edit the class manually. */ import { V1ObjectReference } from '../models/V1ObjectReference.js'; /** * CronJobStatus represents the current state of a cron job. */ export declare class V1CronJobStatus { /** * A list of pointers to currently running jobs.",
    lastScheduleTime: 'Information when was the last time the job was successfully scheduled.',
  },
  V2HorizontalPodAutoscalerSpec: {
    maxReplicas:
      "Kubernetes * No description provided (generated by Openapi Generator https://github.com/openapitools/openapi-generator) * * OpenAPI spec version: v1.34.0 * * * NOTE: This class is auto generated by OpenAPI Generator (https://openapi-generator.tech). * https://openapi-generator.tech * Do not edit the class manually. */ import { V2CrossVersionObjectReference } from '../models/V2CrossVersionObjectReference.js'; import { V2HorizontalPodAutoscalerBehavior } from '../models/V2HorizontalPodAutoscalerBehavior.js'; import { V2MetricSpec } from '../models/V2MetricSpec.js'; /** * HorizontalPodAutoscalerSpec describes the desired functionality of the HorizontalPodAutoscaler. */ export declare class V2HorizontalPodAutoscalerSpec { 'behavior'?: V2HorizontalPodAutoscalerBehavior; /** * maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.",
    metrics:
      'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used). The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods. Ergo, metrics used must decrease as the pod count is increased, and vice-versa. See the individual metric source types for more information about how each type of metric must respond. If not set, the default metric will be set to 80% average CPU utilization.',
    minReplicas:
      'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down. It defaults to 1 pod. minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured. Scaling is active as long as at least one metric value is available.',
  },
  V2HorizontalPodAutoscalerStatus: {
    currentReplicas:
      'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.',
  },
  V1NetworkPolicySpec: {},
  V1RoleBinding: {},
  V1ClusterRoleBinding: {},
  V1StorageClass: {
    allowVolumeExpansion:
      "Kubernetes * No description provided (generated by Openapi Generator https://github.com/openapitools/openapi-generator) * * OpenAPI spec version: v1.34.0 * * * NOTE: This class is auto generated by OpenAPI Generator (https://openapi-generator.tech). * https://openapi-generator.tech * Do not edit the class manually. */ import { V1ObjectMeta } from '../models/V1ObjectMeta.js'; import { V1TopologySelectorTerm } from '../models/V1TopologySelectorTerm.js'; /** * StorageClass describes the parameters for a class of storage for which PersistentVolumes can be dynamically provisioned. StorageClasses are non-namespaced; the name of the storage class according to etcd is in ObjectMeta.Name. */ export declare class V1StorageClass { /** * allowVolumeExpansion shows whether the storage class allow volume expand.",
    provisioner: 'provisioner indicates the type of the provisioner.',
    reclaimPolicy:
      'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.',
    volumeBindingMode:
      'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound. When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.',
  },
  V1LeaseSpec: {
    holderIdentity:
      'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.',
  },
  V1PriorityClass: {
    globalDefault:
      'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.',
    preemptionPolicy:
      'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.',
    value:
      'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.',
  },
  V1ControllerRevision: {
    revision: 'Revision indicates the revision of the state represented by Data.',
  },
  V1EndpointSlice: {
    addressType:
      "Kubernetes * No description provided (generated by Openapi Generator https://github.com/openapitools/openapi-generator) * * OpenAPI spec version: v1.34.0 * * * NOTE: This class is auto generated by OpenAPI Generator (https://openapi-generator.tech). * https://openapi-generator.tech * Do not edit the class manually. */ import { DiscoveryV1EndpointPort } from '../models/DiscoveryV1EndpointPort.js'; import { V1Endpoint } from '../models/V1Endpoint.js'; import { V1ObjectMeta } from '../models/V1ObjectMeta.js'; /** * EndpointSlice represents a set of service endpoints. Most EndpointSlices are created by the EndpointSlice controller to represent the Pods selected by Service objects. For a given service there may be multiple EndpointSlice objects which must be joined to produce the full set of endpoints; you can find all of the slices for a given service by listing EndpointSlices in the service's namespace whose `kubernetes.io/service-name` label contains the service's name. */ export declare class V1EndpointSlice { /** * addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name. (Deprecated) The EndpointSlice controller only generates, and kube-proxy only processes, slices of addressType \"IPv4\" and \"IPv6\". No semantics are defined for the \"FQDN\" type.",
    endpoints:
      'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.',
    ports:
      'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. Each slice may include a maximum of 100 ports. Services always have at least 1 port, so EndpointSlices generated by the EndpointSlice controller will likewise always have at least 1 port. EndpointSlices used for other purposes may have an empty ports list.',
  },
  V1RuntimeClass: {
    handler:
      'handler specifies the underlying runtime and configuration that the CRI implementation will use to handle pods of this class. The possible values are specific to the node & CRI configuration. It is assumed that all handlers are available on every node, and handlers of the same name are equivalent on every node. For example, a handler called "runc" might specify that the runc OCI runtime (using native Linux containers) will be used to run the containers in a pod. The Handler must be lowercase, conform to the DNS Label (RFC 1123) requirements, and is immutable.',
  },
};

/** The description of `type.field` (e.g. `swaggerDoc('V1PodStatus', 'podIP')`), or "" when unknown. */
export function swaggerDoc(type: string, field: string): string {
  return swaggerDocs[type]?.[field] ?? '';
}
