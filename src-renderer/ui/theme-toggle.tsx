import { useTheme } from '../state/preferences';

export function ThemeToggle() {
  const [theme, setTheme] = useTheme();
  return (
    <button
      className="ghost icon"
      aria-label="Toggle theme"
      title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
      onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
    >
      {theme === 'dark' ? '☾' : '☀'}
    </button>
  );
}
