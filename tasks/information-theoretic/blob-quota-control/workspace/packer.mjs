export function pack(data) {
  throw new Error('not implemented');
}

export function unpack(blob) {
  throw new Error('not implemented');
}
