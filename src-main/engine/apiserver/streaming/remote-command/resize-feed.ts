/** A terminal size as the remote-command resize messages carry it. */
export interface TerminalSize {
  width: number;
  height: number;
}

/**
 * Terminal sizes from the client, delivered to listeners. Clients send the first size the
 * moment the stream opens, usually before the process has started, so the latest size is
 * kept and handed to every listener that registers later.
 */
export class ResizeFeed {
  private latest: TerminalSize | undefined;
  private readonly listeners: Array<(size: TerminalSize) => void> = [];

  push(size: TerminalSize): void {
    this.latest = size;
    for (const listener of this.listeners) listener(size);
  }

  listen(listener: (size: TerminalSize) => void): void {
    this.listeners.push(listener);
    if (this.latest) listener(this.latest);
  }
}

/** Parses a resize message, `{"Width":80,"Height":24}`; anything else is ignored, as the kubelet does. */
export function parseTerminalSize(text: string): TerminalSize | undefined {
  if (!text.trim()) return undefined;
  try {
    const size = JSON.parse(text) as { Width?: unknown; Height?: unknown };
    if (typeof size.Width === 'number' && typeof size.Height === 'number') {
      return { width: size.Width, height: size.Height };
    }
  } catch {
    // Not JSON: ignored.
  }
  return undefined;
}
