/** Where the Docker client connects, for messages: DOCKER_HOST or the platform default. */
export function dockerEndpoint(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.DOCKER_HOST) return env.DOCKER_HOST;
  return platform === 'win32' ? 'npipe:////./pipe/docker_engine' : 'unix:///var/run/docker.sock';
}

/** How to start a Docker engine on each OS, for one-line "cause and fix" errors. */
export function howToStartDocker(platform = process.platform): string {
  switch (platform) {
    case 'darwin':
      return 'start Docker Desktop (or colima start) and try again';
    case 'win32':
      return 'start Docker Desktop and try again';
    default:
      return 'start it with `sudo systemctl start docker` (or `sudo dockerd &`), or start Docker Desktop, and try again';
  }
}

/** One line: what failed, why, and how to fix it. */
export function describeDockerUnreachable(
  endpoint: string,
  error: unknown,
  platform = process.platform,
): string {
  const cause = error instanceof Error ? error.message : String(error);
  return `Docker engine not reachable at ${endpoint} (${cause}): ${howToStartDocker(platform)}`;
}
