import type { KubeObject } from '../../k8s-object';
import type { GroupVersionResource, ResourceDefinition } from '../registry/types';

const STORAGE_CLASSES = { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' };
const INGRESS_CLASSES = { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses' };
const DEFAULT_STORAGE_CLASS = 'storageclass.kubernetes.io/is-default-class';
const DEFAULT_INGRESS_CLASS = 'ingressclass.kubernetes.io/is-default-class';

/**
 * Kubernetes' DefaultStorageClass and DefaultIngressClass admission: a claim created with no
 * `storageClassName` gets the default StorageClass, an Ingress with no `ingressClassName` the
 * default IngressClass. An explicit value (even "" for a claim) is left alone; with several
 * defaults the newest wins, as upstream.
 */
export function admitDefaultClasses(
  def: ResourceDefinition,
  obj: KubeObject,
  list: (gvr: GroupVersionResource) => KubeObject[],
): void {
  const spec = obj.spec as Record<string, unknown> | undefined;
  if (!spec) return;
  if (def.group === '' && def.plural === 'persistentvolumeclaims' && spec.storageClassName === undefined) {
    const name = newestDefault(list(STORAGE_CLASSES), DEFAULT_STORAGE_CLASS);
    if (name) spec.storageClassName = name;
  }
  if (
    def.group === 'networking.k8s.io' &&
    def.plural === 'ingresses' &&
    spec.ingressClassName === undefined
  ) {
    const annotations = obj.metadata.annotations ?? {};
    // The deprecated annotation still selects a class, so it must not be overridden.
    if (annotations['kubernetes.io/ingress.class']) return;
    const name = newestDefault(list(INGRESS_CLASSES), DEFAULT_INGRESS_CLASS);
    if (name) spec.ingressClassName = name;
  }
}

function newestDefault(classes: KubeObject[], annotation: string): string | undefined {
  const defaults = classes.filter((c) => c.metadata.annotations?.[annotation] === 'true');
  defaults.sort((a, b) =>
    String(b.metadata.creationTimestamp ?? '').localeCompare(String(a.metadata.creationTimestamp ?? '')),
  );
  return defaults[0]?.metadata.name;
}
