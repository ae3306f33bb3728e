/**
 * Time-ordered ids (UUID version 7, RFC 9562) for rows an import creates. Ids that grow keep each
 * batch's primary-key entries at the right edge of the index instead of scattered over it, which
 * is most of the cost of inserting a million rows. Any uuid column accepts them.
 */
import crypto from "node:crypto";

const pool = Buffer.alloc(16 * 4096);
let offset = pool.length;
let lastMs = 0;
let sequence = 0;

export function timeOrderedId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    // Same millisecond (or the clock stepped back): count up so ids stay ordered.
    ms = lastMs;
    sequence++;
    if (sequence > 0xfff) {
      lastMs = ms = lastMs + 1;
      sequence = 0;
    }
  } else {
    lastMs = ms;
    sequence = 0;
  }
  if (offset + 16 > pool.length) {
    crypto.randomFillSync(pool);
    offset = 0;
  }
  const o = offset;
  offset += 16;
  pool.writeUIntBE(ms, o, 6);
  pool[o + 6] = 0x70 | ((sequence >> 8) & 0x0f);
  pool[o + 7] = sequence & 0xff;
  pool[o + 8] = 0x80 | (pool[o + 8]! & 0x3f);
  // Hex digits written into one scratch buffer and read out as one flat string: no buffer views,
  // slices or string pieces per id (a million imported rows take two ids each).
  let j = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text[j++] = DASH;
    const byte = pool[o + i]!;
    text[j++] = DIGITS[byte >> 4]!;
    text[j++] = DIGITS[byte & 0x0f]!;
  }
  return text.toString("latin1", 0, 36);
}

const text = Buffer.alloc(36);
const DASH = 0x2d;
const DIGITS = Buffer.from("0123456789abcdef", "latin1");
