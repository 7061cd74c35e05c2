import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ImageDeployRequest } from '../../../src-main/ipc/images';
import { useApi } from '../../data/api-context';
import { routeHref } from '../../state/router';

/** A Deployment name from an image reference: its last path segment as a DNS label. */
export function nameFromImage(image: string): string {
  const last = image.split('/').pop() ?? image;
  const repository = last.split(/[:@]/)[0];
  const name = repository
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name || 'app';
}

type PullChoice = 'auto' | NonNullable<ImageDeployRequest['pullPolicy']>;

/** "Deploy this image": a Deployment and a NodePort Service, then the Service's URLs on this machine. */
export function DeployPanel({
  cluster,
  image,
  onClose,
}: {
  cluster: string;
  image: string;
  onClose: () => void;
}) {
  const api = useApi();
  const [name, setName] = useState(nameFromImage(image));
  const [namespace, setNamespace] = useState('default');
  const [port, setPort] = useState('8080');
  const [pull, setPull] = useState<PullChoice>('auto');
  const deploy = useMutation({
    mutationFn: () =>
      api.invoke('images.deploy', {
        cluster,
        image,
        name: name.trim(),
        namespace: namespace.trim() || 'default',
        port: Number(port),
        ...(pull === 'auto' ? {} : { pullPolicy: pull }),
      }),
  });
  const deployed = deploy.isSuccess ? deploy.variables : undefined;
  const links = useQuery({
    queryKey: ['access.links', cluster, 'Service', namespace, name],
    queryFn: () => api.invoke('access.links', { cluster, kind: 'Service', namespace, name }),
    enabled: deploy.isSuccess,
    refetchInterval: 5_000,
  });
  return (
    <section className="panel" data-testid="image-deploy">
      <h3>Deploy {image}</h3>
      <div className="form-grid">
        <label>
          Name
          <input aria-label="Deployment name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Namespace
          <input aria-label="Namespace" value={namespace} onChange={(e) => setNamespace(e.target.value)} />
        </label>
        <label>
          Container port
          <input
            aria-label="Container port"
            inputMode="numeric"
            value={port}
            onChange={(e) => setPort(e.target.value.replace(/\D/g, ''))}
          />
        </label>
        <label>
          Pull policy
          <select
            aria-label="Pull policy"
            value={pull}
            onChange={(e) => setPull(e.target.value as PullChoice)}
          >
            <option value="auto">Automatic (Always for :latest)</option>
            <option value="IfNotPresent">IfNotPresent</option>
            <option value="Always">Always</option>
            <option value="Never">Never</option>
          </select>
        </label>
      </div>
      <div className="actions">
        <button disabled={!name.trim() || !port || deploy.isPending} onClick={() => deploy.mutate()}>
          {deploy.isPending ? 'Deploying…' : 'Deploy'}
        </button>
        <button className="ghost" onClick={onClose}>
          Close
        </button>
      </div>
      {deploy.error && <div className="tone-text tone-bad">{deploy.error.message}</div>}
      {deploy.data && (
        <div data-testid="deploy-result">
          {deploy.data.map((applied) => (
            <div key={`${applied.kind}/${applied.name}`} className="small">
              {applied.kind.toLowerCase()}/{applied.name} {applied.action}
            </div>
          ))}
          {deployed !== undefined && (
            <a
              className="small"
              href={routeHref({ view: 'detail', cluster, resource: 'deployments.apps', namespace, name })}
            >
              Open the Deployment
            </a>
          )}
          <ul className="access-links">
            {links.data?.map((link) => (
              <li key={link.url}>
                <a href={link.url} target="_blank" rel="noreferrer" data-testid="deploy-link">
                  {link.url}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
