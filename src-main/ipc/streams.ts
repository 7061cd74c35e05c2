/**
 * Contract types of the dashboard's streams (logs), kept beside the contract so renderer and
 * backend share them; `contract.ts` names the channels.
 */

/** Kinds whose pods can be followed together (by their selector). */
export type LogTargetKind = 'Pod' | 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job';

export interface LogStreamRequest {
  cluster: string;
  namespace: string;
  kind: LogTargetKind;
  name: string;
  /** One container; every app container of each pod when absent. */
  container?: string;
  /** The previous (terminated) container's log, read once. */
  previous?: boolean;
  /** Start with only this many lines per container (all when absent). */
  tailLines?: number;
}

/** One log line; `time` is the API server's RFC 3339 timestamp of the line. */
export interface LogLine {
  pod: string;
  container: string;
  time: string;
  text: string;
}

export type LogSourceState = 'following' | 'waiting' | 'ended' | 'error';

/** Where one pod/container of a log stream stands (restarts show as waiting, then following again). */
export interface LogSourceStatus {
  streamId: string;
  pod: string;
  container: string;
  state: LogSourceState;
  message?: string;
}

export interface LogDownloadRequest {
  cluster: string;
  namespace: string;
  kind: LogTargetKind;
  name: string;
  container?: string;
  previous?: boolean;
  timestamps?: boolean;
}
