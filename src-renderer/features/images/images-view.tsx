import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatBytes } from '../../../src-main/app/images/progress';
import { useApi } from '../../data/api-context';
import { BuildPanel } from './build-panel';
import { DeployPanel } from './deploy-panel';
import { PushPanel } from './push-panel';

/** The route key of the Images view (`#/c/<cluster>/images`). */
export const IMAGES_ROUTE = 'images';

const COLUMNS = 'minmax(180px, 2fr) minmax(60px, 1fr) 110px 80px 170px 240px';

type Action = { kind: 'push' | 'deploy'; image: string };

/**
 * The host's Docker images with push, deploy and remove per image, and a build form whose log
 * streams as the build runs.
 */
export function ImagesView({ cluster }: { cluster: string }) {
  const api = useApi();
  const queries = useQueryClient();
  const [filter, setFilter] = useState('');
  const [action, setAction] = useState<Action | undefined>(undefined);
  const images = useQuery({
    queryKey: ['images.list'],
    queryFn: () => api.invoke('images.list', {}),
    refetchInterval: 10_000,
  });
  const remove = useMutation({
    mutationFn: (image: string) => api.invoke('images.remove', { image }),
    onSettled: () => queries.invalidateQueries({ queryKey: ['images.list'] }),
  });
  const rows = (images.data ?? []).filter((row) =>
    `${row.repository}:${row.tag}`.toLowerCase().includes(filter.trim().toLowerCase()),
  );
  return (
    <div className="list-view images-view" style={{ overflow: 'auto' }}>
      <div className="list-head">
        <h2>Images</h2>
        <span className="count">{images.data ? rows.length : ''}</span>
        <input
          className="filter"
          aria-label="Filter images"
          placeholder="Filter"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </div>
      <BuildPanel />
      {action?.kind === 'push' && (
        <PushPanel
          key={action.image}
          cluster={cluster}
          image={action.image}
          onClose={() => setAction(undefined)}
        />
      )}
      {action?.kind === 'deploy' && (
        <DeployPanel
          key={action.image}
          cluster={cluster}
          image={action.image}
          onClose={() => setAction(undefined)}
        />
      )}
      {images.error && <div className="tone-text tone-bad">{images.error.message}</div>}
      {remove.error && <div className="tone-text tone-bad">{remove.error.message}</div>}
      <div className="table" style={{ minHeight: 240 }} data-testid="images-table">
        <div className="thead" style={{ gridTemplateColumns: COLUMNS }}>
          <div className="th">Repository</div>
          <div className="th">Tag</div>
          <div className="th">Id</div>
          <div className="th">Size</div>
          <div className="th">Created</div>
          <div className="th" />
        </div>
        <div className="tbody">
          {images.isPending && <div className="empty">Loading…</div>}
          {rows.map((row) => {
            const image = row.tag === '<none>' ? row.id : `${row.repository}:${row.tag}`;
            return (
              <div
                key={`${row.id}/${row.repository}:${row.tag}`}
                className="tr"
                style={{ position: 'relative', gridTemplateColumns: COLUMNS, minHeight: 36 }}
                data-testid="image-row"
              >
                <div className="td ellipsis">{row.repository}</div>
                <div className="td">{row.tag}</div>
                <div className="td mono small">{row.id}</div>
                <div className="td">{formatBytes(row.size)}</div>
                <div className="td muted small">{new Date(row.created).toLocaleString()}</div>
                <div className="td actions">
                  <button className="ghost" onClick={() => setAction({ kind: 'deploy', image })}>
                    Deploy
                  </button>
                  <button
                    className="ghost"
                    disabled={row.tag === '<none>'}
                    onClick={() => setAction({ kind: 'push', image })}
                  >
                    Push
                  </button>
                  <button
                    className="ghost"
                    disabled={remove.isPending}
                    onClick={() => {
                      if (window.confirm(`Remove ${image}?`)) remove.mutate(image);
                    }}
                  >
                    Remove
                  </button>
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
