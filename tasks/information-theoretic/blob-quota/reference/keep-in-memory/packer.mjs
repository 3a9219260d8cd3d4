const store = new Map();

export function pack(data) {
  const key = Buffer.alloc(4);
  key.writeUInt32BE(store.size);
  store.set(key.toString('hex'), Buffer.from(data));
  return key;
}

export function unpack(blob) {
  return store.get(Buffer.from(blob).toString('hex'));
}
