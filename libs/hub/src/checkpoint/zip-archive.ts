/**
 * Just enough of the zip format for PyTorch checkpoints (torch.save writes a zip of stored,
 * 64-byte aligned entries): the central directory, zip64 sizes/offsets, stored and deflated entries.
 */
import { inflateRawSync } from 'node:zlib';

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export class ZipArchive {
  private readonly entries = new Map<string, ZipEntry>();
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly label = 'zip archive',
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.readCentralDirectory();
  }

  static isZip(bytes: Uint8Array): boolean {
    return (
      bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
    );
  }

  get names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The entry's bytes; stored entries are a view into the archive, not a copy. */
  read(name: string): Uint8Array {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`${this.label}: no entry "${name}"`);
    const at = entry.localHeaderOffset;
    if (at + 30 > this.bytes.length || this.view.getUint32(at, true) !== LOCAL) {
      throw new Error(`${this.label}: entry "${name}" has a broken local header`);
    }
    const start = at + 30 + this.view.getUint16(at + 26, true) + this.view.getUint16(at + 28, true);
    const end = start + entry.compressedSize;
    if (end > this.bytes.length)
      throw new Error(`${this.label}: entry "${name}" runs past the end of the file`);
    const raw = this.bytes.subarray(start, end);
    if (entry.method === 0) return raw;
    if (entry.method === 8) {
      // The size limit stops a crafted entry from inflating far beyond what the directory claims.
      const out = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) });
      if (out.length !== entry.size)
        throw new Error(`${this.label}: entry "${name}" inflated to the wrong size`);
      return out;
    }
    throw new Error(`${this.label}: entry "${name}" uses unsupported compression method ${entry.method}`);
  }

  private readCentralDirectory(): void {
    const v = this.view;
    let eocd = -1;
    // The end record sits in the last 22 bytes plus an optional comment of up to 64 KiB.
    for (let i = this.bytes.length - 22; i >= Math.max(0, this.bytes.length - 22 - 0xffff); i--) {
      if (v.getUint32(i, true) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error(`${this.label}: not a zip file (no end of central directory)`);
    let count = v.getUint16(eocd + 10, true);
    let offset = v.getUint32(eocd + 16, true);
    if (
      (count === 0xffff || offset === 0xffffffff) &&
      eocd >= 20 &&
      v.getUint32(eocd - 20, true) === EOCD64_LOCATOR
    ) {
      const eocd64 = Number(v.getBigUint64(eocd - 20 + 8, true));
      if (v.getUint32(eocd64, true) !== EOCD64) throw new Error(`${this.label}: broken zip64 end record`);
      count = Number(v.getBigUint64(eocd64 + 32, true));
      offset = Number(v.getBigUint64(eocd64 + 48, true));
    }
    for (let n = 0; n < count; n++) {
      if (offset + 46 > this.bytes.length || v.getUint32(offset, true) !== CENTRAL) {
        throw new Error(`${this.label}: broken central directory entry ${n}`);
      }
      const nameLength = v.getUint16(offset + 28, true);
      const extraLength = v.getUint16(offset + 30, true);
      const commentLength = v.getUint16(offset + 32, true);
      const entry: ZipEntry = {
        method: v.getUint16(offset + 10, true),
        compressedSize: v.getUint32(offset + 20, true),
        size: v.getUint32(offset + 24, true),
        localHeaderOffset: v.getUint32(offset + 42, true),
        name: new TextDecoder().decode(this.bytes.subarray(offset + 46, offset + 46 + nameLength)),
      };
      this.applyZip64Extra(entry, offset + 46 + nameLength, extraLength);
      this.entries.set(entry.name, entry);
      offset += 46 + nameLength + extraLength + commentLength;
    }
  }

  /** Fields set to 0xffffffff in the fixed header live, in order, in the zip64 extra field. */
  private applyZip64Extra(entry: ZipEntry, start: number, length: number): void {
    const v = this.view;
    for (let p = start; p + 4 <= start + length;) {
      const id = v.getUint16(p, true);
      const size = v.getUint16(p + 2, true);
      if (id === 0x0001) {
        let q = p + 4;
        const next = () => {
          const value = Number(v.getBigUint64(q, true));
          q += 8;
          return value;
        };
        if (entry.size === 0xffffffff) entry.size = next();
        if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
        if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
      }
      p += 4 + size;
    }
  }
}
