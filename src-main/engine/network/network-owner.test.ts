import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeOtherOwner, otherOwner, ownerLabels } from './network-owner';

describe('network ownership', () => {
  const home = mkdtempSync(join(tmpdir(), 'kubedesk-owner-'));
  const mine = join(home, 'profiles', 'dev');
  const theirs = join(home, 'other-home', 'profiles', 'dev');

  it('treats a network labelled by this profile folder, or by none, as ours', () => {
    expect(otherOwner(ownerLabels(mine), mine)).toBeUndefined();
    expect(otherOwner(ownerLabels(`${mine}/`), mine)).toBeUndefined();
    expect(otherOwner({ 'io.kubedesk.profile': 'dev' }, mine)).toBeUndefined();
    expect(otherOwner(undefined, mine)).toBeUndefined();
  });

  it("names another home's folder, and whether it still exists", () => {
    expect(otherOwner(ownerLabels(theirs), mine)).toEqual({ profileDir: theirs, exists: false });
    expect(otherOwner(ownerLabels(home), mine)).toEqual({ profileDir: home, exists: true });
  });

  it('says what to do in one line', () => {
    const live = describeOtherOwner('dev', 'kubedesk-dev', { profileDir: theirs, exists: true });
    expect(live).toContain(`belongs to profile "dev" of another Kubedesk home (${theirs})`);
    expect(live).toContain('kubedesk start -p NAME');
    const gone = describeOtherOwner('dev', 'kubedesk-dev', { profileDir: theirs, exists: false });
    expect(gone).toContain('docker network rm kubedesk-dev');
    expect(`${live}${gone}`).not.toContain('\n');
    rmSync(home, { recursive: true, force: true });
  });
});
