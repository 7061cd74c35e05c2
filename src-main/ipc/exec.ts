/** Contract types of exec terminals; `contract.ts` names the channels. */

export interface ExecStartRequest {
  cluster: string;
  namespace: string;
  pod: string;
  container: string;
  /** A shell path, or "auto": /bin/bash, falling back to /bin/sh. */
  shell: string;
  cols: number;
  rows: number;
}

export interface ExecStarted {
  sessionId: string;
  /** The shell that runs. */
  shell: string;
}

export interface ExecOutput {
  sessionId: string;
  data: string;
}

export interface ExecExit {
  sessionId: string;
  /** Exit code when the shell ended by itself. */
  code?: number;
  /** Why the session ended abnormally, in words for the user. */
  message?: string;
}
