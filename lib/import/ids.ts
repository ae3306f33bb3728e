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
  const b = pool.subarray(offset, offset + 16);
  offset += 16;
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | ((sequence >> 8) & 0x0f);
  b[7] = sequence & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
