import { KubedeskError } from '../../src-main/ipc/errors';

/** A failure with its Kubernetes reason and field causes, as the server sent them. */
export function ErrorView({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const typed = error instanceof KubedeskError ? error : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="error-box" role="alert">
      <div className="error-title">
        {title ?? 'Error'}
        {typed?.reason ? <span className="error-reason">{typed.reason}</span> : null}
        {typed?.code ? <span className="error-code">{typed.code}</span> : null}
      </div>
      <div className="error-message">{message}</div>
      {typed && typed.causes.length > 0 && (
        <ul className="error-causes">
          {typed.causes.map((cause, i) => (
            <li key={i}>
              {cause.field && <code>{cause.field}</code>} {cause.message}
              {cause.reason && <span className="muted"> ({cause.reason})</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
