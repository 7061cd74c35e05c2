import path from 'node:path';
import Docker from 'dockerode';
import { stringify } from 'yaml';
import type { AppliedObject, InvokeHandlers, Session } from '../../ipc/contract';
import { kubedeskError } from '../../ipc/errors';
import type { ClusterRegistry, ImageDeployRequest, ImageProgress } from '../../ipc/images';
import { addonTargetFor } from '../../engine/addons/profile-target';
import { listAddons } from '../../engine/addons/manage';
import type { ImageProgressEvent } from './progress';
import { formatProgressEvent } from './progress';
import { buildImage, listImages, pushImage, removeImage, splitReference } from './index';

export type ImageChannel =
  'images.list' | 'images.remove' | 'images.build' | 'images.push' | 'images.registry' | 'images.deploy';

/** What the image handlers need from the backend; the image functions can be replaced in tests. */
export interface ImageHandlerDeps {
  /** Applies YAML on a cluster (server-side apply). */
  apply(cluster: string, yaml: string, namespace: string): Promise<AppliedObject[]>;
  /** The Kubedesk home (for a profile's addons). */
  home: string;
  env: NodeJS.ProcessEnv;
  images?: Partial<{
    buildImage: typeof buildImage;
    pushImage: typeof pushImage;
    listImages: typeof listImages;
    removeImage: typeof removeImage;
    tagImage: (source: string, target: string) => Promise<void>;
    registry: (cluster: string) => Promise<ClusterRegistry>;
  }>;
}

/** The push of one progress event: the CLI's line, plus the layer and its percent for push bars. */
export function progressMessage(operationId: string, event: ImageProgressEvent): ImageProgress {
  const message: ImageProgress = { operationId, kind: event.type, text: formatProgressEvent(event) };
  if (event.type === 'layer') {
    message.layer = event.id;
    if (event.current !== undefined && event.total !== undefined && event.total > 0) {
      message.percent = Math.min(100, Math.round((event.current / event.total) * 100));
    } else if (/^(Pushed|Layer already exists|Pull complete|Already exists)$/.test(event.status)) {
      message.percent = 100;
    }
  }
  return message;
}

/**
 * Progress pushes go out at most every 100 ms per operation (the latest line of each layer wins),
 * so a push of many layers does not flood the renderer; `flush` sends the rest at the end.
 */
function progressSender(session: Session, operationId: string) {
  let pending: ImageProgress[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    for (const message of pending) session.push('images.progress', message);
    pending = [];
  };
  const send = (event: ImageProgressEvent) => {
    const message = progressMessage(operationId, event);
    const same = message.layer ? pending.findIndex((m) => m.layer === message.layer) : -1;
    if (same >= 0) pending[same] = message;
    else pending.push(message);
    timer ??= setTimeout(flush, 100);
  };
  return { send, flush };
}

/** The Deployment and NodePort Service of "deploy this image", as YAML. */
export function deploymentManifest(request: ImageDeployRequest): string {
  const { tag } = splitReference(request.image);
  const pullPolicy = request.pullPolicy ?? (tag === 'latest' ? 'Always' : 'IfNotPresent');
  const labels = { app: request.name };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: request.name, labels },
    spec: {
      replicas: request.replicas ?? 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: request.name,
              image: request.image,
              imagePullPolicy: pullPolicy,
              ports: [{ containerPort: request.port }],
            },
          ],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: request.name, labels },
    spec: {
      type: 'NodePort',
      selector: labels,
      ports: [{ name: 'http', port: request.port, targetPort: request.port, protocol: 'TCP' }],
    },
  };
  return `${stringify(deployment)}---\n${stringify(service)}`;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

async function profileRegistry(
  cluster: string,
  home: string,
  env: NodeJS.ProcessEnv,
): Promise<ClusterRegistry> {
  if (!cluster.startsWith('profile:')) return { enabled: false };
  const target = await addonTargetFor(cluster.slice('profile:'.length), home, env);
  const registry = (await listAddons(target.profileDir)).find((addon) => addon.name === 'registry');
  if (!registry || registry.state !== 'enabled') return { enabled: false };
  return { enabled: true, ...(registry.address ? { address: registry.address } : {}) };
}

/** Backend handlers of the Images view; the backend spreads them into its handlers. */
export function createImageHandlers(deps: ImageHandlerDeps): Pick<InvokeHandlers, ImageChannel> {
  const images = {
    buildImage,
    pushImage,
    listImages,
    removeImage,
    tagImage: async (source: string, target: string) => {
      const { repository, tag } = splitReference(target);
      await new Docker().getImage(source).tag({ repo: repository, tag });
    },
    registry: (cluster: string) => profileRegistry(cluster, deps.home, deps.env),
    ...deps.images,
  };
  return {
    'images.list': async () => images.listImages(),
    'images.remove': async ({ image, force }) => {
      await images.removeImage(image, { force: force === true });
    },
    'images.build': async ({ operationId, context, dockerfile, tag, buildArgs }, session) => {
      if (!path.isAbsolute(context))
        throw kubedeskError('BadRequest', 'the build folder must be an absolute path');
      const progress = progressSender(session, operationId);
      try {
        return await images.buildImage({
          context,
          tags: [tag],
          ...(dockerfile ? { dockerfile: path.join(context, dockerfile) } : {}),
          ...(buildArgs ? { buildArgs } : {}),
          onProgress: progress.send,
        });
      } finally {
        progress.flush();
      }
    },
    'images.push': async ({ operationId, image, target }, session) => {
      const reference = target || image;
      const progress = progressSender(session, operationId);
      try {
        if (reference !== image) await images.tagImage(image, reference);
        return await images.pushImage(reference, { onProgress: progress.send, env: deps.env });
      } finally {
        progress.flush();
      }
    },
    'images.registry': async ({ cluster }) => images.registry(cluster),
    'images.deploy': async (request) => {
      if (!DNS_LABEL.test(request.name)) {
        throw kubedeskError(
          'BadRequest',
          `"${request.name}" is not a valid name: use lower-case letters, digits and '-'`,
        );
      }
      if (!Number.isInteger(request.port) || request.port < 1 || request.port > 65535) {
        throw kubedeskError('BadRequest', 'the port must be between 1 and 65535');
      }
      return deps.apply(request.cluster, deploymentManifest(request), request.namespace ?? 'default');
    },
  };
}
