import { useEffect, useRef } from 'react';

/**
 * Single-key shortcuts (`e`, `s`, `/`…) for the view that is showing. Ignored while typing in a
 * field, with a modifier held, or while a dialog is open.
 */
export function useShortcuts(bindings: Record<string, (() => void) | undefined>): void {
  const ref = useRef(bindings);
  useEffect(() => {
    ref.current = bindings;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)))
        return;
      if (document.querySelector('[aria-modal="true"], .palette')) return;
      const action = ref.current[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
