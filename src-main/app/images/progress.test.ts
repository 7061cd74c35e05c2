import { describe, expect, it } from 'vitest';
import {
  buildMessageEvents,
  formatBytes,
  formatProgressEvent,
  messageError,
  transferMessageEvents,
} from './progress';

describe('build messages', () => {
  it('turns Step lines into step events and other lines into output', () => {
    expect(buildMessageEvents({ stream: 'Step 2/5 : RUN make\n' })).toEqual([
      { type: 'step', step: 2, total: 5, instruction: 'RUN make' },
    ]);
    expect(buildMessageEvents({ stream: ' ---> Running in abc\nhello\r\n\n' })).toEqual([
      { type: 'output', text: ' ---> Running in abc' },
      { type: 'output', text: 'hello' },
    ]);
  });

  it('ignores aux and empty messages and reads errors separately', () => {
    expect(buildMessageEvents({ aux: { ID: 'sha256:1' } })).toEqual([]);
    expect(buildMessageEvents({ stream: '\n' })).toEqual([]);
    const failed = {
      errorDetail: { code: 1, message: "The command '/bin/sh -c false' returned a non-zero code: 1" },
      error: 'ignored when errorDetail has a message',
    };
    expect(messageError(failed)).toBe("The command '/bin/sh -c false' returned a non-zero code: 1");
    expect(messageError({ error: 'x' })).toBe('x');
    expect(messageError({ status: 'fine' })).toBeUndefined();
  });
});

describe('push and pull messages', () => {
  it('reports layers with their bytes and other lines as status', () => {
    expect(
      transferMessageEvents({
        status: 'Pushing',
        id: 'fa7f5d97466d',
        progressDetail: { current: 1500, total: 2_000_000 },
      }),
    ).toEqual([{ type: 'layer', id: 'fa7f5d97466d', status: 'Pushing', current: 1500, total: 2_000_000 }]);
    expect(transferMessageEvents({ status: 'Pushed', id: 'fa7f5d97466d', progressDetail: {} })).toEqual([
      { type: 'layer', id: 'fa7f5d97466d', status: 'Pushed' },
    ]);
    expect(transferMessageEvents({ status: 'The push refers to repository [localhost:5000/app]' })).toEqual([
      { type: 'status', text: 'The push refers to repository [localhost:5000/app]' },
    ]);
    expect(transferMessageEvents({ status: 'Pulling from app', id: 'latest' })).toEqual([
      { type: 'status', text: 'latest: Pulling from app' },
    ]);
  });
});

describe('formatting', () => {
  it('prints sizes in decimal units as Docker does', () => {
    expect(formatBytes(0)).toBe('0B');
    expect(formatBytes(999)).toBe('999B');
    expect(formatBytes(1_980_000)).toBe('1.98MB');
    expect(formatBytes(106_000_000)).toBe('106MB');
    expect(formatBytes(24_800_000)).toBe('24.8MB');
    expect(formatBytes(1_500)).toBe('1.5kB');
  });

  it('prints one line per event', () => {
    expect(formatProgressEvent({ type: 'step', step: 3, total: 5, instruction: 'RUN false' })).toBe(
      'Step 3/5 : RUN false',
    );
    expect(
      formatProgressEvent({
        type: 'layer',
        id: 'fa7f5d97466daaaa',
        status: 'Pushing',
        current: 1000,
        total: 2_000_000,
      }),
    ).toBe('fa7f5d97466d: Pushing 1kB/2MB');
    expect(formatProgressEvent({ type: 'layer', id: 'fa7f5d97466d', status: 'Pushed' })).toBe(
      'fa7f5d97466d: Pushed',
    );
  });
});
