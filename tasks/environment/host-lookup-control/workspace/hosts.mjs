export async function resolveHost(name, hostsFile) {
  throw new Error('not implemented');
}
