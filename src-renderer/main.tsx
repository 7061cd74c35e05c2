import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { ApiProvider } from './data/api-context';
import { WatchHub } from './data/watch-hub';
import './styles.css';
import { BridgeTransport } from './transport/bridge-transport';
import type { Transport } from './transport/transport';
import { Api } from './transport/transport';
import { WebSocketTransport, socketUrlFromLocation } from './transport/ws-transport';
import { ToastProvider } from './ui/toasts';

function pickTransport(): Transport | undefined {
  if (window.kubedesk) return new BridgeTransport(window.kubedesk);
  const url = socketUrlFromLocation(window.location);
  return url ? new WebSocketTransport(url) : undefined;
}

const root = createRoot(document.getElementById('root') as HTMLElement);
const transport = pickTransport();
if (!transport) {
  root.render(
    <div className="empty">
      This page needs its session token. Open the URL that <code>kubedesk dashboard</code> printed.
    </div>,
  );
} else {
  const api = new Api(transport);
  const watches = new WatchHub(api);
  const queryClient = new QueryClient({
    defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1 } },
  });
  root.render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <ApiProvider api={api} watches={watches}>
          <ToastProvider>
            <App />
          </ToastProvider>
        </ApiProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
