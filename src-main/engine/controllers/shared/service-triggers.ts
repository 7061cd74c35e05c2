import type { KubeObject } from '../../k8s-object';
import type { Controller } from '../runtime/controller';
import { objectKey } from '../runtime/keys';
import type { InformerFactory } from './informer-factory';
import { PODS, SERVICES } from './resources';
import { serviceSelectsPod } from './service-pods';

/**
 * Enqueues a Service's key whenever the Service changes or a pod it selects (before or
 * after the change) appears, changes or goes.
 */
export function enqueueServicesOnPodChanges(informers: InformerFactory, controller: Controller): void {
  const services = informers.get(SERVICES);
  const pods = informers.get(PODS);
  const enqueueFor = (...candidates: KubeObject[]): void => {
    const namespace = candidates[0].metadata.namespace ?? '';
    for (const svc of services.listInNamespace(namespace)) {
      if (candidates.some((pod) => serviceSelectsPod(svc, pod))) controller.enqueue(objectKey(svc));
    }
  };
  services.addHandlers({
    add: (svc) => controller.enqueue(objectKey(svc)),
    update: (_old, svc) => controller.enqueue(objectKey(svc)),
    delete: (svc) => controller.enqueue(objectKey(svc)),
  });
  pods.addHandlers({
    add: (pod) => enqueueFor(pod),
    update: (old, pod) => enqueueFor(old, pod),
    delete: (pod) => enqueueFor(pod),
  });
}
