/** Node names like minikube's: `<profile>` for the first node, then `<profile>-m02`, `-m03`… */
export function nodeNameFor(profile: string, index: number): string {
  return index === 0 ? profile : `${profile}-m${String(index + 1).padStart(2, '0')}`;
}
