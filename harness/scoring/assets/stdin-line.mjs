// One line from stdin, read synchronously byte by byte (nothing past the newline is consumed, so the
// next reader gets the rest): the nonce and configuration lines of the harness's scripts in the sandbox
// (report.mjs, differential.mjs).
import { readSync } from 'node:fs';

export function readLine() {
  const byte = Buffer.alloc(1);
  const bytes = [];
  for (;;) {
    let n;
    try {
      n = readSync(0, byte, 0, 1, null);
    } catch (error) {
      if (error.code === 'EAGAIN') continue;
      break;
    }
    if (n === 0 || byte[0] === 10) break;
    bytes.push(byte[0]);
  }
  return Buffer.from(bytes).toString('utf8');
}
