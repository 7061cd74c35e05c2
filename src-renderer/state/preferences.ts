import { useCallback, useSyncExternalStore } from 'react';

/** Preferences kept in localStorage, shared by every component that reads them. */
const listeners = new Set<() => void>();

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(`kubedesk.${key}`);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    window.localStorage.setItem(`kubedesk.${key}`, value);
  } catch {
    // Storage full or disabled: the preference lasts for this page only.
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A remembered string preference with a default. */
export function usePreference(key: string, fallback: string): [string, (value: string) => void] {
  const value = useSyncExternalStore(subscribe, () => read(key)) ?? fallback;
  const set = useCallback((next: string) => write(key, next), [key]);
  return [value, set];
}

/** The namespace chosen for a cluster ('' = all namespaces); remembered per cluster. */
export function useNamespace(cluster: string): [string, (value: string) => void] {
  return usePreference(`namespace.${cluster}`, 'default');
}

export type Theme = 'dark' | 'light';

export function useTheme(): [Theme, (theme: Theme) => void] {
  const prefersLight =
    typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: light)').matches;
  const [theme, setTheme] = usePreference('theme', prefersLight ? 'light' : 'dark');
  return [theme === 'light' ? 'light' : 'dark', setTheme];
}
