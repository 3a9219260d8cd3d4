import { lookup } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import { isIPv4 } from 'node:net';

export async function resolveHost(name, hostsFile) {
  if (isIPv4(name)) return name;
  if (hostsFile) {
    for (const line of (await readFile(hostsFile, 'utf8')).split('\n')) {
      const [address, ...names] = line.split('#')[0].trim().split(/\s+/);
      if (names.includes(name)) return address;
    }
  }
  try {
    return (await lookup(name, { family: 4 })).address;
  } catch (error) {
    throw new Error(`cannot resolve ${name}: ${error.code}`);
  }
}
