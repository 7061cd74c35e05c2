import { Controller } from '../runtime/controller';
import { objectKey, splitKey } from '../runtime/keys';
import { isAlreadyExists, isNotFound } from '../shared/api-helpers';
import { reportErrors } from '../shared/context';
import type { ControllerContext, RunningController } from '../shared/context';
import { NAMESPACES, SERVICE_ACCOUNTS } from '../shared/resources';

/** The account every namespace gets. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

/**
 * Kubernetes' service-account controller: every active namespace has a `default`
 * ServiceAccount, re-created when deleted.
 */
export function startServiceAccountController(ctx: ControllerContext): RunningController {
  const { api, clock } = ctx;
  const namespaces = ctx.informers.get(NAMESPACES);
  const accounts = ctx.informers.get(SERVICE_ACCOUNTS);
  const controller = new Controller({
    name: 'serviceaccount',
    clock,
    workers: 2,
    reconcile: (name) => {
      const ns = namespaces.get(name);
      if (!ns || ns.metadata.deletionTimestamp) return;
      if (accounts.get(`${name}/${DEFAULT_SERVICE_ACCOUNT}`)) return;
      try {
        api.get(SERVICE_ACCOUNTS, name, DEFAULT_SERVICE_ACCOUNT);
        return;
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      try {
        api.create(
          SERVICE_ACCOUNTS,
          name,
          {
            apiVersion: 'v1',
            kind: 'ServiceAccount',
            metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace: name },
          },
          { fieldManager: 'kube-controller-manager' },
        );
      } catch (error) {
        // Raced with another writer, or the namespace started terminating: nothing to do.
        if (isAlreadyExists(error) || (error instanceof Error && 'code' in error && error.code === 403))
          return;
        throw error;
      }
    },
    onError: reportErrors(ctx, 'serviceaccount'),
  });
  namespaces.addHandlers({
    add: (ns) => controller.enqueue(objectKey(ns)),
    update: (_old, ns) => controller.enqueue(objectKey(ns)),
  });
  accounts.addHandlers({
    delete: (sa) => {
      if (sa.metadata.name === DEFAULT_SERVICE_ACCOUNT)
        controller.enqueue(splitKey(objectKey(sa)).namespace ?? '');
    },
  });
  controller.start();
  return { name: 'serviceaccount', isIdle: () => controller.queue.isIdle(), stop: () => controller.stop() };
}
