import { readFile } from 'node:fs/promises';

export const REGISTRY = 'https://registry.npmjs.org';

export async function latestVersion(name, registry = REGISTRY) {
  const url = `${registry}/${name}/latest`;
  if (url.startsWith('file:')) return JSON.parse(await readFile(new URL(url), 'utf8')).version;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`registry answered ${response.status} for ${name}`);
  return (await response.json()).version;
}
