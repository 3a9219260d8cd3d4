import { deflateRawSync, inflateRawSync } from 'node:zlib';

export function pack(data) {
  return deflateRawSync(data, { level: 9 });
}

export function unpack(blob) {
  return inflateRawSync(blob);
}
