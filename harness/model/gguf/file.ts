/** A GGUF file opened for reading: the header in memory, tensor data read from disk on demand. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { InputError } from '../../errors.ts';
import { dequantizeBlocks } from './dequantize.ts';
import { NeedMoreBytes, parseHeader } from './header.ts';
import type { GgufTensorInfo, GgufValue } from './types.ts';

/** Enough for the header of most models (a 150k-token vocabulary is about 4 MB); grown when not. */
const FIRST_READ = 4 << 20;

export class GgufFile {
  private hash: Promise<string> | undefined;
  private readonly byName: Map<string, GgufTensorInfo>;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    readonly sizeBytes: number,
    readonly version: number,
    readonly alignment: number,
    readonly metadata: Map<string, GgufValue>,
    readonly tensors: GgufTensorInfo[],
  ) {
    this.byName = new Map(tensors.map((t) => [t.name, t]));
  }

  static async open(path: string): Promise<GgufFile> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      throw new InputError(`cannot open GGUF file ${path}: ${(error as Error).message}`, { cause: error });
    }
    try {
      const { size } = await handle.stat();
      for (let want = Math.min(size, FIRST_READ); ; want = Math.min(size, want * 4)) {
        const buffer = Buffer.alloc(want);
        const { bytesRead } = await handle.read(buffer, 0, want, 0);
        try {
          const h = parseHeader(buffer.subarray(0, bytesRead), size, path);
          return new GgufFile(path, handle, size, h.version, h.alignment, h.metadata, h.tensors);
        } catch (error) {
          if (!(error instanceof NeedMoreBytes)) throw error;
        }
      }
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  get<T extends GgufValue>(key: string): T | undefined {
    return this.metadata.get(key) as T | undefined;
  }

  require<T extends GgufValue>(key: string): T {
    const value = this.metadata.get(key);
    if (value === undefined) throw new InputError(`${this.path}: metadata key ${key} is missing`);
    return value as T;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  tensor(name: string): GgufTensorInfo {
    const info = this.byName.get(name);
    if (!info)
      throw new InputError(
        `${this.path}: no tensor named ${name} (the file has ${this.tensors.length} tensors)`,
      );
    return info;
  }

  async raw(name: string): Promise<Buffer> {
    const info = this.tensor(name);
    const buffer = Buffer.alloc(info.byteLength);
    const { bytesRead } = await this.handle.read(buffer, 0, info.byteLength, info.offset);
    if (bytesRead !== info.byteLength)
      throw new InputError(
        `${this.path}: tensor ${name} is truncated (read ${bytesRead} of ${info.byteLength} bytes)`,
      );
    return buffer;
  }

  /** Row-major values; the shape is `dims` reversed. */
  async dequantize(name: string): Promise<Float32Array> {
    const info = this.tensor(name);
    return dequantizeBlocks(info.type, await this.raw(name), info.elementCount);
  }

  sha256(): Promise<string> {
    this.hash ??= sha256File(this.path);
    return this.hash;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
