import { describe, expect, it } from 'vitest';
import { Progress } from '../../cli/progress';
import type { ProgressStep } from './cli-progress';
import { ProgressCapture } from './cli-progress';

describe('ProgressCapture', () => {
  it('reports a step when it begins and when it ends, from the CLI progress output', () => {
    const steps: ProgressStep[] = [];
    const capture = new ProgressCapture({}, (step) => steps.push(step));
    const progress = new Progress(capture.io);
    progress.step('Starting control plane');
    expect(steps).toEqual([{ step: 'Starting control plane', state: 'running' }]);
    progress.done('Starting control plane (engine pid 7)');
    progress.step('Starting nodes');
    progress.fail();
    progress.note('API server answering');
    capture.io.out('Done! kubectl is now configured to use "a"\n');
    expect(steps).toEqual([
      { step: 'Starting control plane', state: 'running' },
      { step: 'Starting control plane (engine pid 7)', state: 'done' },
      { step: 'Starting nodes', state: 'running' },
      { step: 'Starting nodes', state: 'failed' },
      { step: 'API server answering', state: 'done' },
      { step: 'Done! kubectl is now configured to use "a"', state: 'done' },
    ]);
  });

  it('keeps the CLI error line for the failure message', () => {
    const capture = new ProgressCapture({}, () => undefined);
    capture.io.err('  some detail\n');
    capture.io.err('Error: Profile "x" not found. Create it first.\n');
    expect(capture.errorMessage()).toBe('Profile "x" not found. Create it first.');
  });
});
