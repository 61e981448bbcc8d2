/** Protobuf wire types, the low three bits of a field's tag. */
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;

/** A field's tag as one number: field number and wire type. */
export function varintTag(field: number): number {
  return (field << 3) | VARINT;
}
export function fixed64Tag(field: number): number {
  return (field << 3) | FIXED64;
}
export function lengthDelimitedTag(field: number): number {
  return (field << 3) | LENGTH_DELIMITED;
}

const TWO_TO_32 = 2 ** 32;

/**
 * Writes protobuf's wire format into a buffer that grows as needed: varints, zigzag, doubles,
 * UTF-8 strings, and length-delimited submessages whose length is written once they are done
 * (`beginLength` reserves one byte, the common case; `endLength` moves the message along when its
 * length needs more). `cut()` hands over what is written since the last cut, a view and not a
 * copy, so that an exposition leaves as chunks of some tens of KiB. Chunks are carved one after
 * another out of slabs of `SLAB_CHUNKS` chunks: a buffer allocated per chunk took about 5 % of the
 * W40k encoding in profiles.
 */
export class ProtobufWriter {
  #buffer: Uint8Array;
  #view: DataView;
  /** Where the chunk being written starts in the buffer. */
  #start = 0;
  #position = 0;
  /** Room a chunk starts with: a new slab is taken when less is left. */
  readonly #chunkRoom: number;
  /** Where `toScratch` puts a string's UTF-8, for a caller that turns it into fields. */
  #scratch: Buffer = Buffer.allocUnsafeSlow(1024);

  constructor(chunkRoom: number) {
    this.#chunkRoom = chunkRoom;
    this.#buffer = allocate(chunkRoom * SLAB_CHUNKS);
    this.#view = viewOf(this.#buffer);
  }

  /** Bytes written since the last `cut()`. */
  get length(): number {
    return this.#position - this.#start;
  }

  /** The bytes written since the last cut (a view, not a copy); the writer goes on after them. */
  cut(): Uint8Array {
    const written = this.#buffer.subarray(this.#start, this.#position);
    this.#start = this.#position;
    if (this.#buffer.length - this.#position < this.#chunkRoom) {
      this.#buffer = allocate(this.#chunkRoom * SLAB_CHUNKS);
      this.#view = viewOf(this.#buffer);
      this.#start = 0;
      this.#position = 0;
    }
    return written;
  }

  /**
   * Starts over at the start of the buffer, keeping it: for a caller that uses each message whole
   * before it writes the next (remote write compresses each request at once), so that the buffer
   * grows to the largest message and is never allocated again. Views `cut()` gave are overwritten.
   */
  reset(): void {
    this.#start = 0;
    this.#position = 0;
  }

  /**
   * Room for `bytes` more bytes: the buffer to write them into, from `position` on, for a caller
   * that writes many small fields in one loop (see `writeLabelTextPairs`); `advanceTo` then moves
   * past what it wrote. The buffer is good until the next write of any kind.
   */
  room(bytes: number): Uint8Array {
    this.#ensure(bytes);
    return this.#buffer;
  }

  /** Where the next byte goes in the buffer `room` gives. */
  get position(): number {
    return this.#position;
  }

  /** Moves past bytes written into the buffer `room` gave, up to `position`. */
  advanceTo(position: number): void {
    this.#position = position;
  }

  /** Bytes written elsewhere, as they are (a kept run of messages), or those from `start` to `end` of them. */
  writeBytes(bytes: Uint8Array, start = 0, end = bytes.length): void {
    const length = end - start;
    this.#ensure(length);
    const buffer = this.#buffer;
    if (length <= 32) {
      // A short run (a label field) is copied faster by hand than through a subarray.
      let at = this.#position;
      for (let i = start; i < end; i++) buffer[at++] = bytes[i]!;
    } else {
      buffer.set(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), this.#position);
    }
    this.#position += length;
  }

  /** A copy of the bytes written since `at` of the chunk being written (as `skip` counts), to keep after the chunk is handed on. */
  copySince(at: number): Uint8Array {
    // Not `slice`: a Buffer's is a view.
    const copy = new Uint8Array(this.#position - this.#start - at);
    copy.set(this.#buffer.subarray(this.#start + at, this.#position));
    return copy;
  }

  /** Leaves `bytes` bytes unwritten (for a prefix written later by `closeReserved`), returning where in the chunk being written. */
  skip(bytes: number): number {
    this.#ensure(bytes);
    const at = this.#position - this.#start;
    this.#position += bytes;
    return at;
  }

  /** Writes `value` in the `reserved` bytes left by `skip` at `at` of the chunk being written (see the function `closeReserved`). */
  closeReserved(at: number, reserved: number, value: number): void {
    this.#position = closeReserved(this.#buffer, this.#start + at, reserved, this.#position, value);
  }

  /** A tag or other small number below 2^28 (one to four bytes). */
  writeTag(tag: number): void {
    this.#ensure(4);
    const buffer = this.#buffer;
    while (tag > 127) {
      buffer[this.#position++] = (tag & 127) | 128;
      tag >>>= 7;
    }
    buffer[this.#position++] = tag;
  }

  /** A non-negative integer up to 2^53 (uint32, uint64, and int64 that are not negative). */
  writeVarint(value: number): void {
    this.#ensure(10);
    const buffer = this.#buffer;
    if (value < TWO_TO_32) {
      value >>>= 0;
      while (value > 127) {
        buffer[this.#position++] = (value & 127) | 128;
        value >>>= 7;
      }
      buffer[this.#position++] = value;
      return;
    }
    while (value >= 128) {
      buffer[this.#position++] = (value % 128) | 128;
      value = Math.floor(value / 128);
    }
    buffer[this.#position++] = value;
  }

  /** An int64 that may be negative: two's complement in ten bytes when it is. */
  writeInt64(value: number): void {
    if (value >= 0) {
      this.writeVarint(value);
      return;
    }
    this.#ensure(10);
    let bits = BigInt.asUintN(64, BigInt(value));
    for (let i = 0; i < 9; i++) {
      this.#buffer[this.#position++] = Number(bits & 127n) | 128;
      bits >>= 7n;
    }
    this.#buffer[this.#position++] = Number(bits);
  }

  /** sint32 and sint64: zigzag, so that small negative numbers stay short (exact for |value| below 2^52). */
  writeSignedVarint(value: number): void {
    this.writeVarint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  writeDouble(value: number): void {
    this.#ensure(8);
    this.#view.setFloat64(this.#position, value, true);
    this.#position += 8;
  }

  /** A string as its UTF-8 length and bytes: in one pass for ASCII, the common case. */
  writeString(text: string): void {
    const length = text.length;
    // ASCII first: its byte length is its length, so the prefix can be written before the bytes.
    this.#ensure(length + 5);
    const before = this.#position;
    this.writeVarint(length);
    const buffer = this.#buffer;
    let at = this.#position;
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 128) {
        this.#position = before;
        this.#writeUtf8(text);
        return;
      }
      buffer[at++] = code;
    }
    this.#position = at;
  }

  #writeUtf8(value: string): void {
    const bytes = Buffer.byteLength(value, 'utf8');
    this.#ensure(bytes + 5);
    this.writeVarint(bytes);
    ENCODER.encodeInto(value, this.#buffer.subarray(this.#position, this.#position + bytes));
    this.#position += bytes;
  }

  /**
   * A string's UTF-8 in the scratch buffer (natively: about three times faster than a loop over its
   * characters), for `writeScratchUntil` to copy from; returns its length in bytes.
   */
  toScratch(text: string): number {
    if (this.#scratch.length < text.length * 3) this.#scratch = Buffer.allocUnsafeSlow(Math.max(text.length * 3, this.#scratch.length * 2));
    return this.#scratch.write(text, 0, 'utf8');
  }

  /**
   * A string field copied from the scratch buffer: its bytes from `start` up to the first `stop`
   * byte (an ASCII delimiter, never part of a multi-byte character) or `end`. Returns where it
   * stopped.
   */
  writeScratchUntil(start: number, end: number, stop: number): number {
    const scratch = this.#scratch;
    this.#ensure(end - start + 1);
    const lengthAt = this.#position++;
    const buffer = this.#buffer;
    let at = lengthAt + 1;
    let read = start;
    while (read < end) {
      const byte = scratch[read]!;
      if (byte === stop) break;
      buffer[at++] = byte;
      read++;
    }
    this.#position = at;
    this.endLength(lengthAt);
    return read;
  }

  /** The scratch buffer `toScratch` wrote into (good until the next `toScratch`). */
  get scratch(): Uint8Array {
    return this.#scratch;
  }

  /** The byte at `index` of the scratch buffer. */
  scratchByte(index: number): number {
    return this.#scratch[index]!;
  }

  /** Starts a length-delimited field's contents (after its tag): one byte is kept for the length. */
  beginLength(): number {
    this.#ensure(1);
    return this.#position++;
  }

  /** Ends the contents begun at `start`, writing their length there (moving them along if it takes more than a byte). */
  endLength(start: number): void {
    const length = this.#position - start - 1;
    if (length < 128) {
      this.#buffer[start] = length;
      return;
    }
    const extra = varintSize(length) - 1;
    this.#ensure(extra);
    this.#buffer.copyWithin(start + 1 + extra, start + 1, this.#position);
    this.#position += extra;
    writeVarintAt(this.#buffer, start, length);
  }

  #ensure(bytes: number): void {
    if (this.#position + bytes <= this.#buffer.length) return;
    // Everything is copied, the chunks cut before too, so that positions held meanwhile stay true.
    let size = this.#buffer.length * 2;
    while (size < this.#position + bytes) size *= 2;
    const grown = allocate(size);
    grown.set(this.#buffer.subarray(0, this.#position));
    this.#buffer = grown;
    this.#view = viewOf(grown);
  }
}

/** Chunks a slab holds. */
const SLAB_CHUNKS = 16;

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const ENCODER = new TextEncoder();

/** A buffer left unfilled (`new Uint8Array` zeroes it): only what is written is ever handed on. */
function allocate(bytes: number): Uint8Array {
  return Buffer.allocUnsafeSlow(bytes);
}

/**
 * Writes `value` as a varint in the `reserved` bytes at `at` of `bytes` (written up to `end`), and
 * moves what follows back over the bytes the varint did not need. Returns the new end.
 */
export function closeReserved(bytes: Uint8Array, at: number, reserved: number, end: number, value: number): number {
  const size = writeVarintAt(bytes, at, value);
  if (size === reserved) return end;
  bytes.copyWithin(at + size, at + reserved, end);
  return end - (reserved - size);
}

/** A non-negative integer up to 2^53 as a varint at `at`; returns its size. */
function writeVarintAt(bytes: Uint8Array, at: number, value: number): number {
  const start = at;
  while (value >= 128) {
    bytes[at++] = (value % 128) | 128;
    value = Math.floor(value / 128);
  }
  bytes[at++] = value;
  return at - start;
}

/** Bytes of a non-negative integer's varint. */
export function varintSize(value: number): number {
  let size = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}
