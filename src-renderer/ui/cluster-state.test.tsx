import { describe, expect, it } from 'vitest';
import { clusterStateLabel } from './cluster-state';

describe('cluster state label', () => {
  it('reads Running only while nothing is wrong', () => {
    expect(clusterStateLabel({ state: 'Running' })).toEqual({ text: 'Running', tone: 'ok' });
    expect(clusterStateLabel({ state: 'Running', problems: [] })).toEqual({ text: 'Running', tone: 'ok' });
    expect(clusterStateLabel({ state: 'Running', problems: ['node dev is not Ready: …'] })).toEqual({
      text: 'Degraded',
      tone: 'warn',
    });
  });

  it('names the other states, and a kubeconfig context as such', () => {
    expect(clusterStateLabel({ state: 'Stopped' })).toEqual({ text: 'Stopped', tone: 'muted' });
    expect(clusterStateLabel({ state: 'Starting' })).toEqual({ text: 'Starting', tone: 'warn' });
    expect(clusterStateLabel({ state: 'Unknown' })).toEqual({ text: 'Context', tone: 'info' });
  });
});
