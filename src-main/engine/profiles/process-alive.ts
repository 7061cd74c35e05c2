/**
 * Whether a process with this pid exists. EPERM means it exists but belongs to another user, which
 * still counts as alive: its lock must not be stolen.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'EPERM';
  }
}
