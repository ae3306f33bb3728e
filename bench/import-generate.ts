/**
 * Writes a synthetic complaint CSV of N rows, streamed (never held in memory): helpdesk-style
 * headers, rows in date order, one customer per five complaints (in random order), twenty
 * products, quoted multi-line stories with escaped quotes.
 */
import fs from "node:fs";
import { once } from "node:events";

const channels = ["Web", "Phone", "Email", "Chat", "Postal mail", "Social"];
const severities = ["minor", "moderate", "major", "critical"];
const statuses = ["new", "in progress", "resolved", "closed"];
const products = Array.from({ length: 20 }, (_, i) => `Product ${String.fromCharCode(65 + i)}`);

/** A small deterministic PRNG (mulberry32) so every run imports the same file. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function generateComplaintCsv(file: string, rows: number): Promise<void> {
  const out = fs.createWriteStream(file);
  const rand = prng(42);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const start = Date.UTC(2024, 0, 1);
  const span = 700 * 86_400_000;
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  await write(
    "Ticket ID,Created,Channel,Priority,Subject,Description,Status,Customer ID,Customer email,Customer name,Product,Resolved at\n",
  );
  let chunk = "";
  for (let i = 1; i <= rows; i++) {
    // In date order, as helpdesk and CFPB exports come, with a few hours' jitter.
    const received = start + Math.floor((span * i) / rows) + Math.floor(rand() * 4 * 3_600_000);
    const status = pick(statuses);
    const resolved =
      status === "resolved" || status === "closed"
        ? new Date(received + Math.floor(rand() * 10 * 86_400_000)).toISOString()
        : "";
    const customer = 1 + Math.floor(rand() * Math.max(1, rows / 5));
    chunk +=
      `T-${i},${new Date(received).toISOString()},${pick(channels)},${pick(severities)},` +
      `Order ${i} arrived late,"The parcel for order ${i} came ${1 + (i % 9)} days late.\nNobody told me, ""again"".",` +
      `${status},C-${customer},c${customer}@example.test,Customer ${customer},${pick(products)},${resolved}\n`;
    if (i % 1000 === 0) {
      await write(chunk);
      chunk = "";
    }
  }
  await write(chunk);
  out.end();
  await once(out, "finish");
}
