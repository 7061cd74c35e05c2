import { useCallback, useEffect, useState } from 'react';
import { useDiscovery } from './data/use-clusters';
import { viewFor } from './resources/catalog';
import { useTheme } from './state/preferences';
import { ErrorBoundary } from './ui/error-boundary';
import { ImagesView, IMAGES_ROUTE } from './features/images/images-view';
import { useRoute } from './state/router';
import { ClusterLayout } from './views/cluster-layout';
import { CommandPalette } from './views/command-palette';
import { CreateYamlDialog } from './views/create-yaml-dialog';
import { HomeView } from './views/home-view';
import { ResourceDetailView } from './views/resource-detail-view';
import { ResourceListView } from './views/resource-list-view';

/** The dashboard: home (clusters) or one cluster's views, plus the palette and the create dialog. */
export function App() {
  const route = useRoute();
  const [theme, setTheme] = useTheme();
  const [palette, setPalette] = useState(false);
  const [creating, setCreating] = useState(false);
  const cluster = route.view === 'home' ? undefined : route.cluster;

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setPalette((open) => !open);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const closePalette = useCallback(() => setPalette(false), []);
  const toggleTheme = useCallback(() => setTheme(theme === 'dark' ? 'light' : 'dark'), [theme, setTheme]);
  const openCreate = useCallback(() => setCreating(true), []);

  return (
    <>
      {route.view === 'home' ? (
        <HomeView />
      ) : (
        <ClusterLayout
          cluster={route.cluster}
          resource={route.resource}
          onPalette={() => setPalette(true)}
          onCreate={openCreate}
        >
          <ErrorBoundary resetKey={window.location.hash}>
            <ClusterContent />
          </ErrorBoundary>
        </ClusterLayout>
      )}
      {palette && (
        <CommandPalette
          cluster={cluster}
          onClose={closePalette}
          onToggleTheme={toggleTheme}
          onCreate={openCreate}
        />
      )}
      {creating && cluster && <CreateYamlDialog cluster={cluster} onClose={() => setCreating(false)} />}
    </>
  );
}

function ClusterContent() {
  const route = useRoute();
  const cluster = route.view === 'home' ? undefined : route.cluster;
  const discovery = useDiscovery(cluster);
  if (route.view === 'home') return null;
  if (route.view === 'list' && route.resource === IMAGES_ROUTE) return <ImagesView cluster={route.cluster} />;
  const view = viewFor(route.resource, discovery.data);
  if (!view) {
    return (
      <div className="empty">
        {discovery.isPending ? 'Loading…' : `Unknown resource type “${route.resource}”.`}
      </div>
    );
  }
  if (route.view === 'detail') {
    return (
      <ResourceDetailView
        key={`${route.namespace}/${route.name}`}
        cluster={route.cluster}
        view={view}
        namespace={route.namespace}
        name={route.name}
      />
    );
  }
  return <ResourceListView key={view.key} cluster={route.cluster} view={view} />;
}
