/** Valid manifests the fuzzer mutates: one per kind it exercises, each creatable as is. */
export interface Seed {
  /** Collection path (namespaced ones under `default`). */
  path: string;
  object: Record<string, unknown>;
}

const container = { name: 'main', image: 'kubedesk-test/busybox:1', command: ['sleep', '3600'] };
const template = {
  metadata: { labels: { app: 'fuzz' } },
  spec: { containers: [container] },
};

export const SEEDS: Seed[] = [
  {
    path: '/api/v1/namespaces/default/pods',
    object: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', labels: { app: 'fuzz' }, annotations: { note: 'x' } },
      spec: {
        containers: [
          {
            ...container,
            ports: [{ containerPort: 8080, protocol: 'TCP' }],
            env: [{ name: 'A', value: 'b' }],
            resources: { limits: { cpu: '100m', memory: '64Mi' } },
            readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 5 },
          },
        ],
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 5,
      },
    },
  },
  {
    path: '/api/v1/namespaces/default/configmaps',
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } },
  },
  {
    path: '/api/v1/namespaces/default/secrets',
    object: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      type: 'Opaque',
      data: { a: 'Yg==' },
    },
  },
  {
    path: '/api/v1/namespaces/default/services',
    object: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc' },
      spec: {
        selector: { app: 'fuzz' },
        ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
        type: 'ClusterIP',
      },
    },
  },
  {
    path: '/apis/apps/v1/namespaces/default/deployments',
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'fuzz' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
        template,
      },
    },
  },
  {
    path: '/apis/apps/v1/namespaces/default/statefulsets',
    object: {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'ss' },
      spec: { serviceName: 'svc', replicas: 1, selector: { matchLabels: { app: 'fuzz' } }, template },
    },
  },
  {
    path: '/apis/batch/v1/namespaces/default/jobs',
    object: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j' },
      spec: {
        backoffLimit: 2,
        template: { spec: { containers: [container], restartPolicy: 'Never' } },
      },
    },
  },
  {
    path: '/apis/batch/v1/namespaces/default/cronjobs',
    object: {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'cj' },
      spec: {
        schedule: '*/5 * * * *',
        jobTemplate: {
          spec: { template: { spec: { containers: [container], restartPolicy: 'OnFailure' } } },
        },
      },
    },
  },
  {
    path: '/api/v1/namespaces',
    object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fuzz-ns' } },
  },
  {
    path: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles',
    object: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'r' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    },
  },
  {
    path: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings',
    object: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'rb' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'default' }],
    },
  },
  {
    path: '/apis/networking.k8s.io/v1/namespaces/default/ingresses',
    object: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'ing' },
      spec: {
        rules: [
          {
            host: 'a.example.com',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'svc', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    },
  },
  {
    path: '/api/v1/namespaces/default/persistentvolumeclaims',
    object: {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'pvc' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
  },
  {
    path: '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers',
    object: {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'hpa' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' },
        minReplicas: 1,
        maxReplicas: 3,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
          },
        ],
      },
    },
  },
];
