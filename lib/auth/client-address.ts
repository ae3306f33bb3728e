import { isIP } from "node:net";

/**
 * Who is on the other end of a request, decided once per request by the start-up hook
 * (client-address-hook.ts) from the socket and the proxies we trust, and carried in headers of
 * our own: a client-sent copy of either header is always removed first, so it cannot be forged.
 */
export const CLIENT_ADDRESS_HEADER = "x-turnaround-client";
export const CLIENT_PROTO_HEADER = "x-turnaround-proto";

/** What the reader answers when the hook did not run (it always does under `next start`). */
export const UNKNOWN_ADDRESS = "unknown";

/**
 * How many reverse proxies in front of the server append to X-Forwarded-For
 * (TURNAROUND_TRUSTED_PROXIES). Default 0: the socket's peer is the client, and whatever the
 * client wrote in X-Forwarded-For is ignored.
 */
export function trustedProxyHops(value = process.env.TURNAROUND_TRUSTED_PROXIES): number {
  if (value === undefined || value.trim() === "") return 0;
  const hops = Number(value);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) {
    throw new Error(
      `TURNAROUND_TRUSTED_PROXIES must be a whole number of proxy hops from 0 to 10, not "${value}".`,
    );
  }
  return hops;
}

function entries(header: string | string[] | undefined): string[] {
  const joined = Array.isArray(header) ? header.join(",") : (header ?? "");
  return joined
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/**
 * Picks the entry `hops` places from the right of [...forwarded entries, own]: each trusted proxy
 * appends the address it saw, so everything left of that entry was written by the client and
 * may be made up. With fewer entries than hops, the leftmost one is the best there is.
 */
export function pickTrusted(
  forwarded: string | string[] | undefined,
  own: string,
  hops: number,
): string {
  const chain = [...entries(forwarded), own];
  return chain[Math.max(0, chain.length - 1 - hops)]!;
}

/** One spelling per address: no port, no brackets, no IPv4-mapped IPv6 prefix, lower case. */
export function normaliseAddress(raw: string | undefined): string {
  let value = (raw ?? "").trim().toLowerCase();
  if (value.startsWith("["))
    value = value.slice(1, value.indexOf("]") > 0 ? value.indexOf("]") : undefined);
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(value))
    value = value.slice(0, value.lastIndexOf(":"));
  if (value.startsWith("::ffff:") && isIP(value.slice(7)) === 4) value = value.slice(7);
  if (isIP(value)) return value;
  // Not an address (a proxy's "unknown", an obfuscated node name): kept, but tamed for a key.
  const tame = value.replace(/[^a-z0-9._:-]/g, "").slice(0, 64);
  return tame || UNKNOWN_ADDRESS;
}

/** The client's address: the socket's peer, or what the trusted proxies say it was. */
export function resolveClientAddress(
  forwardedFor: string | string[] | undefined,
  socketAddress: string | undefined,
  hops: number,
): string {
  if (hops === 0) return normaliseAddress(socketAddress);
  return normaliseAddress(pickTrusted(forwardedFor, socketAddress ?? UNKNOWN_ADDRESS, hops));
}

/** "https" when the client reached us over TLS: the socket's own, or the trusted proxies' word. */
export function resolveClientProto(
  forwardedProto: string | string[] | undefined,
  socketEncrypted: boolean,
  hops: number,
): "https" | "http" {
  const own = socketEncrypted ? "https" : "http";
  if (hops === 0) return own;
  return pickTrusted(forwardedProto, own, hops).toLowerCase() === "https" ? "https" : "http";
}

/** Reads the address the hook decided. Used by sign-in and any other throttle. */
export function clientAddressFrom(headers: Pick<Headers, "get"> | undefined): string {
  const value = headers?.get(CLIENT_ADDRESS_HEADER);
  return value ? normaliseAddress(value) : UNKNOWN_ADDRESS;
}
