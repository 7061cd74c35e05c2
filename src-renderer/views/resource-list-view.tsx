import { useVirtualizer } from '@tanstack/react-virtual';
import { useDeferredValue, useMemo, useRef, useState } from 'react';
import type { KubeObject } from '../../src-main/ipc/contract';
import { useResourceList } from '../data/use-resource-list';
import type { ResourceView } from '../resources/catalog';
import { matchesFilter } from '../resources/object-helpers';
import { useNamespace } from '../state/preferences';
import { navigate } from '../state/router';
import { ErrorView } from '../ui/error-view';
import { Status } from '../ui/status';
import { useNow } from '../ui/use-now';
import { useShortcuts } from '../ui/use-shortcuts';

const ROW_HEIGHT = 34;

/** A live, virtualized, sortable and filterable table of one resource type. */
export function ResourceListView({ cluster, view }: { cluster: string; view: ResourceView }) {
  const [namespace] = useNamespace(cluster);
  const list = useResourceList(cluster, view.type, namespace);
  const [filter, setFilter] = useState('');
  const deferredFilter = useDeferredValue(filter);
  const [sort, setSort] = useState<{ column: string; descending: boolean }>({
    column: 'name',
    descending: false,
  });
  const now = useNow(1_000);
  const columns =
    view.type.namespaced && namespace ? view.columns.filter((c) => c.id !== 'namespace') : view.columns;
  const sortColumn = columns.find((c) => c.id === sort.column) ?? columns[0];
  // Sorting by age uses the time of sorting; re-sorting every tick would make rows jump.
  const sortNow = useMemo(() => Date.now(), [list.data, sort]); // eslint-disable-line react-hooks/exhaustive-deps
  const rows = useMemo(() => {
    const items = (list.data?.items ?? []).filter((item) => matchesFilter(item, deferredFilter));
    const value = (item: KubeObject) =>
      sortColumn.sort ? sortColumn.sort(item, sortNow) : sortColumn.text(item, sortNow);
    const keyed = items.map((item) => ({ item, key: value(item) }));
    keyed.sort((a, b) => {
      const order =
        typeof a.key === 'number' && typeof b.key === 'number'
          ? a.key - b.key
          : String(a.key).localeCompare(String(b.key), undefined, { numeric: true });
      return (
        (sort.descending ? -order : order) ||
        (a.item.metadata.name ?? '').localeCompare(b.item.metadata.name ?? '')
      );
    });
    return keyed.map((k) => k.item);
  }, [list.data, deferredFilter, sortColumn, sort.descending, sortNow]);

  const scroller = useRef<HTMLDivElement>(null);
  const filterInput = useRef<HTMLInputElement>(null);
  useShortcuts({ '/': () => filterInput.current?.focus() });
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const template = columns.map((c) => c.width).join(' ');
  const total = list.data?.items.length ?? 0;

  return (
    <div className="list-view">
      <div className="list-head">
        <h1>
          {view.title}
          <span className="count" data-testid="row-count">
            {rows.length === total ? total : `${rows.length} of ${total}`}
          </span>
        </h1>
        {list.isSuccess && (
          <span
            className={`live ${list.live ? 'on' : 'off'}`}
            title={list.live ? 'Updated live from a watch' : 'Reconnecting the watch…'}
          >
            {list.live ? 'Live' : 'Reconnecting'}
          </span>
        )}
        <input
          className="filter"
          ref={filterInput}
          type="search"
          placeholder="Filter by name or label (app=web)…  /"
          aria-label="Filter"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </div>
      {list.error && <ErrorView error={list.error} title={`Cannot list ${view.title}`} />}
      <div className="table" role="table" aria-label={view.title}>
        <div className="thead" role="row" style={{ gridTemplateColumns: template }}>
          {columns.map((column) => (
            <button
              key={column.id}
              role="columnheader"
              className={`th${column.align === 'right' ? ' right' : ''}${sortColumn.id === column.id ? ' sorted' : ''}`}
              onClick={() =>
                setSort((s) => ({
                  column: column.id,
                  descending: s.column === column.id ? !s.descending : false,
                }))
              }
            >
              {column.title}
              {sortColumn.id === column.id && (
                <span className="sort-mark">{sort.descending ? '↓' : '↑'}</span>
              )}
            </button>
          ))}
        </div>
        <div className="tbody" ref={scroller}>
          {list.isPending && <div className="empty">Loading…</div>}
          {list.isSuccess && rows.length === 0 && (
            <div className="empty">
              {total === 0
                ? `No ${view.title.toLowerCase()}${namespace ? ` in ${namespace}` : ''}.`
                : 'Nothing matches the filter.'}
            </div>
          )}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((virtual) => {
              const item = rows[virtual.index];
              return (
                <div
                  key={`${item.metadata.namespace}/${item.metadata.name}`}
                  role="row"
                  className={`tr${item.metadata.deletionTimestamp ? ' deleting' : ''}`}
                  style={{
                    gridTemplateColumns: template,
                    transform: `translateY(${virtual.start}px)`,
                    height: ROW_HEIGHT,
                  }}
                  onClick={() =>
                    navigate({
                      view: 'detail',
                      cluster,
                      resource: view.key,
                      namespace: item.metadata.namespace,
                      name: item.metadata.name ?? '',
                    })
                  }
                >
                  {columns.map((column) => {
                    const text = column.text(item, now);
                    const tone = column.tone?.(item);
                    return (
                      <div
                        key={column.id}
                        role="cell"
                        className={`td${column.align === 'right' ? ' right' : ''}`}
                        title={text}
                      >
                        {tone && column.id !== 'ready' ? (
                          <Status text={text} tone={tone} />
                        ) : tone ? (
                          <span className={`tone-text tone-${tone}`}>{text}</span>
                        ) : (
                          text
                        )}
                      </div>
                    );
                  })}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
