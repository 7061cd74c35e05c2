import pty from 'node-pty';

/** kubectl running on a pseudo-terminal, as a user's `kubectl exec -it` would. */
export interface PtyKubectl {
  output(): string;
  write(text: string): void;
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<number>;
  kill(): void;
}

export function spawnKubectlOnPty(
  binary: string,
  kubeconfig: string,
  home: string,
  args: string[],
  env: Record<string, string> = {},
): PtyKubectl {
  const child = pty.spawn(binary, args, {
    name: 'xterm',
    cols: 100,
    rows: 30,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      KUBECONFIG: kubeconfig,
      TERM: 'xterm',
      ...env,
    },
  });
  let output = '';
  const waiters = new Set<() => void>();
  child.onData((data) => {
    output += data;
    for (const waiter of waiters) waiter();
  });
  const exited = new Promise<number>((resolve) => child.onExit(({ exitCode }) => resolve(exitCode)));
  return {
    output: () => output,
    write: (text) => child.write(text),
    waitFor: (text, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (typeof text === 'string' ? output.includes(text) : text.test(output)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${String(text)}; terminal: ${output}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    exited,
    kill: () => child.kill(),
  };
}
