/**
 * Progress of image operations as plain events, the same for the CLI and the dashboard.
 * Docker streams JSON messages (`{stream}`, `{status,id,progressDetail}`, `{error}`); these
 * functions turn one message into at most one event, without state.
 */

/** One thing worth showing while an image is built, pushed or pulled. */
export type ImageProgressEvent =
  /** A Dockerfile instruction starts (`Step 2/5 : RUN make`). */
  | { type: 'step'; step: number; total: number; instruction: string }
  /** A line a build printed (instruction output, ` ---> abc123`, `Successfully tagged …`). */
  | { type: 'output'; text: string }
  /** A layer's state changed or moved on (push/pull). Bytes when Docker reports them. */
  | { type: 'layer'; id: string; status: string; current?: number; total?: number }
  /** A status line of the whole operation (`Pulling from library/app`, `latest: digest: …`). */
  | { type: 'status'; text: string };

/** Receives progress events; optional everywhere. */
export type ProgressListener = (event: ImageProgressEvent) => void;

/** A Docker JSON progress message, as far as these functions read it. */
export interface DockerMessage {
  stream?: string;
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string; code?: number };
  aux?: unknown;
}

const STEP = /^Step (\d+)\/(\d+) : (.*)$/s;

/**
 * The events of one build message: a `stream` text may hold several lines; `Step n/m : X`
 * lines become step events, other non-empty lines output events. Errors are not events
 * (see `messageError`).
 */
export function buildMessageEvents(message: DockerMessage): ImageProgressEvent[] {
  if (typeof message.stream === 'string') {
    return message.stream
      .split('\n')
      .map((line) => line.replace(/\r$/, ''))
      .filter((line) => line.trim() !== '')
      .map((line): ImageProgressEvent => {
        const step = STEP.exec(line);
        if (step)
          return { type: 'step', step: Number(step[1]), total: Number(step[2]), instruction: step[3] };
        return { type: 'output', text: line };
      });
  }
  if (typeof message.status === 'string') return transferMessageEvents(message);
  return [];
}

/** The event of one push/pull message: per-layer when it names a layer, else a status line. */
export function transferMessageEvents(message: DockerMessage): ImageProgressEvent[] {
  if (typeof message.status !== 'string' || message.status === '') return [];
  const id = message.id;
  // Messages like `{"status":"The push refers to repository [x]"}` carry no id; a tag's
  // `{"status":"Pulling from app","id":"latest"}` names the tag, not a layer.
  if (id && /^[0-9a-f]{12,}$/.test(id)) {
    const { current, total } = message.progressDetail ?? {};
    return [
      {
        type: 'layer',
        id,
        status: message.status,
        ...(typeof current === 'number' ? { current } : {}),
        ...(typeof total === 'number' && total > 0 ? { total } : {}),
      },
    ];
  }
  return [{ type: 'status', text: id ? `${id}: ${message.status}` : message.status }];
}

/** Docker's error text in a message, if the message reports a failure. */
export function messageError(message: DockerMessage): string | undefined {
  const text = message.errorDetail?.message ?? message.error;
  return typeof text === 'string' && text.trim() ? text.trim() : undefined;
}

/** `12.3MB`-style size, as Docker prints them (decimal units). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits).replace(/\.0+$|(\.\d*?)0+$/, '$1')}${units[unit]}`;
}

/** One line for an event, as the CLI prints it (`Step 2/5 : RUN make`, `a1b2c3d4e5f6: Pushed`). */
export function formatProgressEvent(event: ImageProgressEvent): string {
  switch (event.type) {
    case 'step':
      return `Step ${event.step}/${event.total} : ${event.instruction}`;
    case 'output':
      return event.text;
    case 'status':
      return event.text;
    case 'layer': {
      const bytes =
        event.current !== undefined && event.total !== undefined
          ? ` ${formatBytes(event.current)}/${formatBytes(event.total)}`
          : '';
      return `${event.id.slice(0, 12)}: ${event.status}${bytes}`;
    }
  }
}
