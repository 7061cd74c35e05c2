import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { ClusterInfo } from '../../src-main/ipc/contract';
import { useApi } from '../data/api-context';
import { queryKeys } from '../data/query-keys';
import { listQueryOptions } from '../data/use-resource-list';
import type { ListData } from '../data/watch-cache';
import { RESOURCE_VIEWS } from '../resources/catalog';
import { useNamespace } from '../state/preferences';
import type { Route } from '../state/router';
import { navigate } from '../state/router';

interface Entry {
  id: string;
  label: string;
  hint: string;
  run(): void;
}

interface Props {
  cluster: string | undefined;
  onClose(): void;
  onToggleTheme(): void;
  onCreate(): void;
}

const MAX_RESULTS = 60;
const SEARCHED = new Set([
  'pods',
  'deployments.apps',
  'services',
  'configmaps',
  'secrets',
  'nodes',
  'namespaces',
]);

/**
 * Ctrl/Cmd-K: jump to any view, cluster or object already loaded (every list cached for this
 * cluster is searched, so it is instant), or run a common action.
 */
export function CommandPalette({ cluster, onClose, onToggleTheme, onCreate }: Props) {
  const queryClient = useQueryClient();
  const api = useApi();
  const [namespace] = useNamespace(cluster ?? '');
  // The common kinds are listed (once, into the shared cache) so they can be found even if their
  // views were never opened; every other cached list is searched as well.
  const searched = useQueries({
    queries: cluster
      ? RESOURCE_VIEWS.filter((view) => SEARCHED.has(view.key)).map((view) =>
          // Lists nobody watches may be old: read them again when the palette opens.
          ({ ...listQueryOptions(api, cluster, view.type, namespace), staleTime: 0 }),
        )
      : [],
  });
  // Changes whenever a searched list gets new data (a cached list counts as loaded at once, so
  // counting successes would miss the fresh copy the palette asks for when it opens).
  const loaded = searched.map((q) => q.dataUpdatedAt).join(',');
  const [text, setText] = useState('');
  const [index, setIndex] = useState(0);
  const entries = useMemo(() => {
    const go = (route: Route) => () => {
      navigate(route);
      onClose();
    };
    const all: Entry[] = [];
    all.push({ id: 'home', label: 'Clusters', hint: 'Home', run: go({ view: 'home' }) });
    if (cluster) {
      for (const view of RESOURCE_VIEWS) {
        all.push({
          id: `view:${view.key}`,
          label: view.title,
          hint: 'View',
          run: go({ view: 'list', cluster, resource: view.key }),
        });
      }
      all.push({
        id: 'create',
        label: 'Create from YAML…',
        hint: 'Action',
        run: () => (onClose(), onCreate()),
      });
    }
    all.push({
      id: 'theme',
      label: 'Toggle dark / light theme',
      hint: 'Action',
      run: () => (onToggleTheme(), onClose()),
    });
    for (const c of queryClient.getQueryData<ClusterInfo[]>(queryKeys.clusters()) ?? []) {
      all.push({
        id: `cluster:${c.id}`,
        label: c.name,
        hint: c.source === 'profile' ? 'Local cluster' : 'Context',
        run: go({ view: 'list', cluster: c.id, resource: 'pods' }),
      });
    }
    if (cluster) {
      const lists = queryClient.getQueriesData<ListData>({
        queryKey: [...queryKeys.cluster(cluster), 'list'],
      });
      const seen = new Set<string>();
      for (const [key, data] of lists) {
        const resource = String(key[4]);
        const view = RESOURCE_VIEWS.find((v) => v.key === resource);
        for (const item of data?.items ?? []) {
          const id = `${resource}/${item.metadata.namespace ?? ''}/${item.metadata.name}`;
          if (seen.has(id)) continue;
          seen.add(id);
          all.push({
            id,
            label: item.metadata.name ?? '',
            hint: `${view?.type.kind ?? resource}${item.metadata.namespace ? ` · ${item.metadata.namespace}` : ''}`,
            run: go({
              view: 'detail',
              cluster,
              resource,
              namespace: item.metadata.namespace,
              name: item.metadata.name ?? '',
            }),
          });
        }
      }
    }
    return all;
    // `loaded` changes as searched lists arrive, which is when the entries need recomputing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cluster, queryClient, onClose, onToggleTheme, onCreate, loaded]);
  const results = useMemo(() => {
    const needle = text.trim().toLowerCase();
    if (!needle) return entries.slice(0, MAX_RESULTS);
    return entries
      .map((entry) => ({
        entry,
        score: score(`${entry.label} ${entry.hint}`.toLowerCase(), entry.label.toLowerCase(), needle),
      }))
      .filter((r) => r.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, MAX_RESULTS)
      .map((r) => r.entry);
  }, [entries, text]);
  const active = Math.min(index, Math.max(0, results.length - 1));
  return (
    <div className="backdrop palette-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="palette" role="dialog" aria-label="Command palette">
        <input
          autoFocus
          aria-label="Search"
          placeholder="Go to a view, cluster or object…"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setIndex(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setIndex(Math.min(active + 1, results.length - 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setIndex(Math.max(active - 1, 0));
            } else if (e.key === 'Enter') {
              results[active]?.run();
            } else if (e.key === 'Escape') {
              onClose();
            }
          }}
        />
        <ul className="palette-results" role="listbox">
          {results.map((entry, i) => (
            <li
              key={entry.id}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseEnter={() => setIndex(i)}
              onClick={() => entry.run()}
            >
              <span className="ellipsis">{entry.label}</span>
              <span className="muted small">{entry.hint}</span>
            </li>
          ))}
          {results.length === 0 && <li className="muted">No matches.</li>}
        </ul>
      </div>
    </div>
  );
}

/** Prefix and word matches of the name rank first, then substrings, then letters in order. */
function score(haystack: string, label: string, needle: string): number {
  if (label.startsWith(needle)) return 100;
  if (label.includes(needle)) return 60;
  if (haystack.includes(needle)) return 40;
  let at = 0;
  for (const char of needle) {
    at = haystack.indexOf(char, at);
    if (at < 0) return 0;
    at++;
  }
  return 10;
}
