import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../data/api-context';
import { ProgressLog } from './progress-log';
import { useImageProgress } from './use-progress';

/** The image's name in another registry: its path without the source registry, under `registry`. */
export function retarget(image: string, registry: string): string {
  const first = image.split('/')[0];
  const hasRegistry =
    image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const path = hasRegistry ? image.slice(first.length + 1) : image;
  return `${registry.replace(/\/+$/, '')}/${path}`;
}

/** Pushes one image to the cluster registry addon (the default) or any registry, with per-layer progress. */
export function PushPanel({
  cluster,
  image,
  onClose,
}: {
  cluster: string;
  image: string;
  onClose: () => void;
}) {
  const api = useApi();
  const progress = useImageProgress();
  const registry = useQuery({
    queryKey: ['images.registry', cluster],
    queryFn: () => api.invoke('images.registry', { cluster }),
  });
  const [target, setTarget] = useState<string | undefined>(undefined);
  const suggested = registry.data?.address ? retarget(image, registry.data.address) : image;
  const value = target ?? suggested;
  const push = useMutation({
    mutationFn: () =>
      api.invoke('images.push', { operationId: progress.begin(), image, target: value.trim() }),
  });
  return (
    <section className="panel" data-testid="image-push">
      <h3>Push {image}</h3>
      <div className="muted small">
        {registry.data?.enabled
          ? `The cluster registry is at ${registry.data.address ?? '(unknown address)'}.`
          : 'The registry addon is not enabled on this cluster; push to any registry you are logged in to.'}
      </div>
      <div className="form-grid">
        <label>
          Push as
          <input aria-label="Push as" value={value} onChange={(e) => setTarget(e.target.value)} />
        </label>
      </div>
      <div className="actions">
        <button disabled={!value.trim() || push.isPending} onClick={() => push.mutate()}>
          {push.isPending ? 'Pushing…' : 'Push'}
        </button>
        <button className="ghost" onClick={onClose}>
          Close
        </button>
        {push.isSuccess && (
          <span className="tone-text tone-ok" data-testid="push-result">
            Pushed {value}
            {push.data.digest ? ` (${push.data.digest.slice(0, 19)}…)` : ''}
          </span>
        )}
      </div>
      {push.error && <div className="tone-text tone-bad">{push.error.message}</div>}
      <ProgressLog lines={progress.lines} testId="push-log" />
    </section>
  );
}
