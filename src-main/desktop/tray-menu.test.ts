import { describe, expect, it, vi } from 'vitest';
import type { ClusterInfo } from '../ipc/contract';
import { trayTemplate, trayTooltip } from './tray-menu';

const cluster = (
  name: string,
  state: ClusterInfo['state'],
  source: ClusterInfo['source'] = 'profile',
): ClusterInfo => ({
  id: `${source === 'profile' ? 'profile' : 'context'}:${name}`,
  source,
  name,
  state,
  current: false,
});

describe('tray menu', () => {
  it('lists local clusters with their state and the start/stop that applies', () => {
    const actions = {
      open: vi.fn(),
      openCluster: vi.fn(),
      start: vi.fn(),
      stop: vi.fn(),
      setKeepRunning: vi.fn(),
      quit: vi.fn(),
    };
    const items = trayTemplate(
      [cluster('dev', 'Running'), cluster('ci', 'Stopped'), cluster('eks', 'Unknown', 'kubeconfig')],
      true,
      actions,
    );
    const labels = items.map((item) => item.label);
    expect(labels).toContain('● dev — Running');
    expect(labels).toContain('○ ci — Stopped');
    expect(labels.some((label) => label?.includes('eks'))).toBe(false);
    const dev = items.find((item) => item.label === '● dev — Running');
    const sub = dev?.submenu as { label: string; enabled: boolean; click(): void }[];
    expect(sub.map((s) => [s.label, s.enabled])).toEqual([
      ['Open', true],
      ['Start', false],
      ['Stop', true],
    ]);
    sub[2].click();
    expect(actions.stop).toHaveBeenCalledWith('dev');
    const keep = items.find((item) => item.type === 'checkbox');
    expect(keep?.checked).toBe(true);
    expect(trayTooltip([cluster('dev', 'Running'), cluster('ci', 'Stopped')])).toBe(
      'Kubedesk — 1 of 2 clusters running',
    );
  });
});
