import type { ReactNode } from 'react';
import { createContext, useContext } from 'react';
import type { Api } from '../transport/transport';
import type { WatchHub } from './watch-hub';

interface ApiValue {
  api: Api;
  watches: WatchHub;
}

const ApiContext = createContext<ApiValue | undefined>(undefined);

export function ApiProvider({ api, watches, children }: ApiValue & { children: ReactNode }) {
  return <ApiContext.Provider value={{ api, watches }}>{children}</ApiContext.Provider>;
}

/** The backend API; only inside ApiProvider. */
export function useApi(): Api {
  return useApiValue().api;
}

export function useWatchHub(): WatchHub {
  return useApiValue().watches;
}

function useApiValue(): ApiValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApi outside ApiProvider');
  return value;
}
