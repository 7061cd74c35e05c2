/** The `/version` document (k8s.io/apimachinery version.Info). */
export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/** The Kubernetes API version this server speaks. */
export const KUBERNETES_VERSION = 'v1.32.0';

export function versionInfo(overrides: Partial<VersionInfo> = {}): VersionInfo {
  const gitVersion = overrides.gitVersion ?? `${KUBERNETES_VERSION}+kubedesk`;
  const m = /^v(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: m?.[1] ?? '1',
    minor: m?.[2] ?? '32',
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'gc',
    platform: `${process.platform === 'win32' ? 'windows' : process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
    ...overrides,
  };
}
