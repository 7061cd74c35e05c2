/** Contract types of the Images view (build, push, list, deploy); `contract.ts` names the channels. */

/** One image of the host's Docker engine, one row per name. */
export interface ImageRow {
  repository: string;
  tag: string;
  /** Short id (12 hex digits). */
  id: string;
  /** ISO time the image was created. */
  created: string;
  /** Bytes. */
  size: number;
}

export interface ImageBuildRequest {
  /** Chosen by the renderer; progress pushes carry it. */
  operationId: string;
  /** The build context folder (absolute, on the backend's machine). */
  context: string;
  /** The Dockerfile, relative to the context; default `Dockerfile`. */
  dockerfile?: string;
  /** The image name, e.g. `app:dev`. */
  tag: string;
  buildArgs?: Record<string, string>;
}

export interface ImagePushRequest {
  operationId: string;
  /** The local image to push. */
  image: string;
  /** The name to push it as (tagged first when it differs from `image`); default `image`. */
  target?: string;
}

/** One line of build or push progress, as the CLI prints it. */
export interface ImageProgress {
  operationId: string;
  /** `step` starts a Dockerfile instruction; `layer` lines replace the earlier line of the same layer. */
  kind: 'step' | 'output' | 'layer' | 'status';
  text: string;
  /** The layer id (for `layer`). */
  layer?: string;
  /** Percent of the layer's bytes moved, when Docker reports sizes. */
  percent?: number;
}

export interface ImageDeployRequest {
  cluster: string;
  image: string;
  /** Name of the Deployment and Service (a DNS label). */
  name: string;
  namespace?: string;
  /** The container port the Service targets. */
  port: number;
  replicas?: number;
  /** Default: `Always` for `:latest` (or untagged) images, else `IfNotPresent`. */
  pullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
}

/** The cluster registry addon as the Images view uses it. */
export interface ClusterRegistry {
  /** `host:port` to push to from this machine; absent when the addon is not enabled. */
  address?: string;
  enabled: boolean;
}
