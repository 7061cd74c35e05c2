/**
 * What keeps a running cluster from working right now (the Docker engine down, nodes not
 * Ready), as the backend reports it with cause and fix. Shown while it lasts, so a cluster
 * that is recovering by itself never looks merely slow.
 */
export function ClusterProblems({ problems, variant }: { problems?: string[]; variant: 'banner' | 'card' }) {
  if (!problems?.length) return null;
  return (
    <ul className={`cluster-problems ${variant}`} role="alert" aria-label="Cluster problems">
      {problems.map((problem) => (
        <li key={problem}>⚠ {problem}</li>
      ))}
    </ul>
  );
}
