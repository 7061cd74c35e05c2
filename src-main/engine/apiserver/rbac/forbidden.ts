import type { RequestAttributes } from '../http/auth';
import { ApiError, qualifiedResource } from '../status';

/**
 * The 403 Kubernetes answers when authorization denies a resource request, worded as its
 * apiserver words it: the object is named by its resource (`pods "web"`), the denied resource
 * includes the subresource (`cannot get resource "pods/log"`).
 */
export function forbiddenRequest(username: string, attributes: RequestAttributes): ApiError {
  const group = attributes.group ?? '';
  const resource = attributes.resource ?? '';
  const denied = attributes.subresource ? `${resource}/${attributes.subresource}` : resource;
  const where = attributes.namespace
    ? ` in the namespace "${attributes.namespace}"`
    : ' at the cluster scope';
  return new ApiError(
    403,
    'Forbidden',
    `${qualifiedResource({ resource, group })}${attributes.name ? ` "${attributes.name}"` : ''} is forbidden: User "${username}" cannot ${attributes.verb} resource "${denied}" in API group "${group}"${where}`,
    { name: attributes.name, group: group || undefined, kind: resource },
  );
}
