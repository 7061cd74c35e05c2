import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../data/api-context';
import { ProgressLog } from './progress-log';
import { useImageProgress } from './use-progress';

/** `KEY=VALUE` lines as build args; blank lines and lines without `=` are skipped. */
export function parseBuildArgs(text: string): Record<string, string> {
  const args: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) args[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return args;
}

/** Builds an image from a folder on this machine and shows the build log as it runs. */
export function BuildPanel() {
  const api = useApi();
  const queries = useQueryClient();
  const progress = useImageProgress();
  const [context, setContext] = useState('');
  const [dockerfile, setDockerfile] = useState('Dockerfile');
  const [tag, setTag] = useState('');
  const [args, setArgs] = useState('');
  const build = useMutation({
    mutationFn: () =>
      api.invoke('images.build', {
        operationId: progress.begin(),
        context: context.trim(),
        tag: tag.trim(),
        ...(dockerfile.trim() ? { dockerfile: dockerfile.trim() } : {}),
        buildArgs: parseBuildArgs(args),
      }),
    onSettled: () => queries.invalidateQueries({ queryKey: ['images.list'] }),
  });
  return (
    <section className="panel" data-testid="image-build">
      <h3>Build an image</h3>
      <div className="form-grid">
        <label>
          Folder
          <input
            aria-label="Build folder"
            placeholder="/path/to/app"
            value={context}
            onChange={(e) => setContext(e.target.value)}
          />
        </label>
        <label>
          Dockerfile
          <input aria-label="Dockerfile" value={dockerfile} onChange={(e) => setDockerfile(e.target.value)} />
        </label>
        <label>
          Tag
          <input
            aria-label="Image tag"
            placeholder="app:dev"
            value={tag}
            onChange={(e) => setTag(e.target.value)}
          />
        </label>
        <label>
          Build args
          <textarea
            aria-label="Build args"
            placeholder="KEY=value, one a line"
            rows={2}
            value={args}
            onChange={(e) => setArgs(e.target.value)}
          />
        </label>
      </div>
      <div className="actions">
        <button disabled={!context.trim() || !tag.trim() || build.isPending} onClick={() => build.mutate()}>
          {build.isPending ? 'Building…' : 'Build'}
        </button>
        {build.data && (
          <span className="tone-text tone-ok" data-testid="build-result">
            Built {build.data.tags.join(', ')} ({build.data.id.replace(/^sha256:/, '').slice(0, 12)})
          </span>
        )}
      </div>
      {build.error && <div className="tone-text tone-bad">{build.error.message}</div>}
      <ProgressLog lines={progress.lines} testId="build-log" />
    </section>
  );
}
