import type { ReactNode } from 'react';
import { useState } from 'react';
import { useClusters, useDiscovery } from '../data/use-clusters';
import { useResourceList } from '../data/use-resource-list';
import { RESOURCE_VIEWS, otherTypes } from '../resources/catalog';
import { ALL_NAMESPACES, resourceKey } from '../data/query-keys';
import { NAMESPACES_VIEW_TYPE } from '../resources/well-known';
import { useNamespace } from '../state/preferences';
import { navigate, routeHref } from '../state/router';
import { IMAGES_ROUTE } from '../features/images/images-view';
import { ClusterProblems } from '../ui/cluster-problems';
import { ClusterStateBadge } from '../ui/cluster-state';
import { ThemeToggle } from '../ui/theme-toggle';

interface Props {
  cluster: string;
  resource: string;
  children: ReactNode;
  onPalette(): void;
  onCreate(): void;
}

const SECTIONS = ['Workloads', 'Network', 'Config', 'Storage', 'Cluster'] as const;

/** Sidebar with the resource views, top bar with cluster, namespace and actions. */
export function ClusterLayout({ cluster, resource, children, onPalette, onCreate }: Props) {
  const clusters = useClusters();
  const info = clusters.data?.find((c) => c.id === cluster);
  const discovery = useDiscovery(cluster);
  const [showCustom, setShowCustom] = useState(false);
  const custom = discovery.data ? otherTypes(discovery.data) : [];
  return (
    <div className="shell">
      <aside className="sidebar">
        <a className="brand" href="#/">
          <span className="logo">◆</span> Kubedesk
        </a>
        <div className="cluster-pill" title={info?.server}>
          <select
            className="cluster-select"
            aria-label="Cluster"
            value={cluster}
            onChange={(e) =>
              navigate({
                view: 'list',
                cluster: e.target.value,
                // Built-in views exist everywhere; a discovered type may not.
                resource: RESOURCE_VIEWS.some((v) => v.key === resource) ? resource : 'pods',
              })
            }
          >
            {!info && <option value={cluster}>{cluster.replace(/^\w+:/, '')}</option>}
            {(clusters.data ?? []).map((c) => (
              <option key={c.id} value={c.id} disabled={c.source === 'profile' && c.state !== 'Running'}>
                {c.name}
                {c.source === 'profile' ? '' : ' (context)'}
              </option>
            ))}
          </select>
          {info && <ClusterStateBadge info={info} />}
        </div>
        <nav className="nav">
          {SECTIONS.map((section) => (
            <div key={section} className="nav-section">
              <div className="nav-title">{section}</div>
              {RESOURCE_VIEWS.filter((v) => v.section === section).map((v) => (
                <a
                  key={v.key}
                  className={`nav-item${v.key === resource ? ' active' : ''}`}
                  href={routeHref({ view: 'list', cluster, resource: v.key })}
                >
                  {v.title === 'PersistentVolumeClaims' ? 'PVCs' : v.title}
                </a>
              ))}
            </div>
          ))}
          <div className="nav-section">
            <div className="nav-title">Docker</div>
            <a
              className={`nav-item${resource === IMAGES_ROUTE ? ' active' : ''}`}
              href={routeHref({ view: 'list', cluster, resource: IMAGES_ROUTE })}
            >
              Images
            </a>
          </div>
          <div className="nav-section">
            <button className="nav-title nav-toggle" onClick={() => setShowCustom(!showCustom)}>
              {showCustom ? '▾' : '▸'} More types ({custom.length})
            </button>
            {(showCustom || custom.some((t) => resourceKey(t) === resource)) &&
              custom.map((type) => (
                <a
                  key={resourceKey(type)}
                  className={`nav-item small${resourceKey(type) === resource ? ' active' : ''}`}
                  href={routeHref({ view: 'list', cluster, resource: resourceKey(type) })}
                  title={`${type.plural}.${type.group || 'core'}/${type.version}`}
                >
                  {type.kind}
                </a>
              ))}
          </div>
        </nav>
      </aside>
      <div className="main">
        <header className="topbar">
          <button className="ghost" onClick={() => navigate({ view: 'home' })} title="All clusters">
            ← Clusters
          </button>
          <NamespaceSwitcher cluster={cluster} />
          <span className="spacer" />
          <button className="ghost palette-hint" onClick={onPalette} title="Command palette">
            Search <kbd>Ctrl K</kbd>
          </button>
          <button onClick={onCreate}>+ Create</button>
          <ThemeToggle />
        </header>
        <ClusterProblems problems={info?.problems} variant="banner" />
        <div className="content">{children}</div>
      </div>
    </div>
  );
}

/** Picks the namespace of the lists ("All namespaces" included); remembered per cluster. */
export function NamespaceSwitcher({ cluster }: { cluster: string }) {
  const [namespace, setNamespace] = useNamespace(cluster);
  const namespaces = useResourceList(cluster, NAMESPACES_VIEW_TYPE, ALL_NAMESPACES);
  const names = (namespaces.data?.items ?? []).map((ns) => ns.metadata.name ?? '').sort();
  if (namespace && !names.includes(namespace)) names.unshift(namespace);
  return (
    <label className="ns-switch">
      <span className="muted">Namespace</span>
      <select aria-label="Namespace" value={namespace} onChange={(e) => setNamespace(e.target.value)}>
        <option value={ALL_NAMESPACES}>All namespaces</option>
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
