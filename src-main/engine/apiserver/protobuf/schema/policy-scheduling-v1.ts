import type { PackageSchema } from './types';

/** k8s.io/api/policy/v1. */
export const policyV1: PackageSchema = {
  name: 'policy',
  kinds: { 'policy/v1': ['PodDisruptionBudget', 'Eviction'] },
  messages: {
    PodDisruptionBudget: {
      1: ['metadata', 'meta.ObjectMeta'],
      2: ['spec', 'PodDisruptionBudgetSpec'],
      3: ['status', 'PodDisruptionBudgetStatus'],
    },
    PodDisruptionBudgetSpec: {
      1: ['minAvailable', 'IntOrString'],
      2: ['selector', 'meta.LabelSelector'],
      3: ['maxUnavailable', 'IntOrString'],
      4: ['unhealthyPodEvictionPolicy', 'string*'],
    },
    PodDisruptionBudgetStatus: {
      1: ['observedGeneration', 'int64'],
      2: ['disruptedPods', 'map<string,Time>'],
      3: ['disruptionsAllowed', 'int32*'],
      4: ['currentHealthy', 'int32*'],
      5: ['desiredHealthy', 'int32*'],
      6: ['expectedPods', 'int32*'],
      7: ['conditions', '[]meta.Condition'],
    },
    Eviction: { 1: ['metadata', 'meta.ObjectMeta'], 2: ['deleteOptions', 'meta.DeleteOptions'] },
  },
};

/** k8s.io/api/scheduling/v1. */
export const schedulingV1: PackageSchema = {
  name: 'scheduling',
  kinds: { 'scheduling.k8s.io/v1': ['PriorityClass'] },
  messages: {
    PriorityClass: {
      1: ['metadata', 'meta.ObjectMeta'],
      2: ['value', 'int32*'],
      3: ['globalDefault', 'bool'],
      4: ['description', 'string'],
      5: ['preemptionPolicy', 'string*'],
    },
  },
};
