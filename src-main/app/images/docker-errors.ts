import { dockerEndpoint, howToStartDocker } from '../../engine/runtime/docker/docker-endpoint';
import { dockerMessage, dockerStatus, ImageError, isDockerUnreachable } from './image-error';

/** An ImageError for a failed Docker call: the engine being down is told apart from its answers. */
export function dockerError(error: unknown, what: string): ImageError {
  if (error instanceof ImageError) return error;
  if (isDockerUnreachable(error)) {
    return new ImageError(
      `${what}: the Docker engine is not reachable at ${dockerEndpoint()} (${dockerMessage(error)}).`,
      `${capitalize(howToStartDocker())}.`,
    );
  }
  const status = dockerStatus(error);
  const said = dockerMessage(error);
  return new ImageError(
    `${what}: ${said}`,
    status !== undefined && status < 500
      ? 'Check the command and try again.'
      : 'Check "docker info" and try again.',
    said,
  );
}

/** The one-line error of a failed push or pull, from what the registry or Docker said. */
export function transferError(
  operation: 'push' | 'pull',
  reference: string,
  registry: string,
  message: string,
): ImageError {
  const said = message.replace(/\s+/g, ' ').trim();
  const verb = operation === 'push' ? 'Push of' : 'Pull of';
  if (
    /connection refused|no such host|i\/o timeout|network is unreachable|dial tcp|no route to host|connection reset|EOF$/i.test(
      said,
    )
  ) {
    const local = /^(localhost|127\.0\.0\.1)(:|$)/.test(registry);
    return new ImageError(
      `${verb} ${reference} failed: registry ${registry} is not reachable (${said}).`,
      local
        ? 'Start the registry (for the cluster registry: "kubedesk addons enable registry", its address is in "kubedesk addons list") and try again.'
        : `Check the registry address and your network, or push to the cluster registry shown by "kubedesk addons list".`,
      said,
    );
  }
  if (/unauthorized|authentication required|denied|forbidden/i.test(said)) {
    return new ImageError(
      `${verb} ${reference} was refused by ${registry}: ${said}.`,
      `Log in with "docker login${registry === 'docker.io' ? '' : ` ${registry}`}" and try again.`,
      said,
    );
  }
  if (/does not exist locally|no such image|An image does not exist/i.test(said)) {
    return new ImageError(
      `${reference} does not exist on this Docker engine.`,
      `Build it with "kubedesk image build -t ${reference} DIR" (or tag an image with that name) first.`,
      said,
    );
  }
  if (/not found|manifest unknown/i.test(said)) {
    return new ImageError(
      `${reference} was not found in ${registry}: ${said}.`,
      'Check the image name and tag, and push it first if it is yours.',
      said,
    );
  }
  return new ImageError(
    `${verb} ${reference} failed: ${said}.`,
    'Check the image name and the registry, and try again.',
    said,
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
