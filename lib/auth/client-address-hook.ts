import http from "node:http";
import https from "node:https";
import type { TLSSocket } from "node:tls";
import {
  CLIENT_ADDRESS_HEADER,
  CLIENT_PROTO_HEADER,
  resolveClientAddress,
  resolveClientProto,
  trustedProxyHops,
} from "./client-address";

const installed = Symbol.for("turnaround.clientAddressHook");

/** Writes our client headers on a request before anything else reads it. */
export function stampClientHeaders(request: http.IncomingMessage, hops: number): void {
  const socket = request.socket as Partial<TLSSocket> | undefined;
  request.headers[CLIENT_ADDRESS_HEADER] = resolveClientAddress(
    request.headers["x-forwarded-for"],
    socket?.remoteAddress,
    hops,
  );
  request.headers[CLIENT_PROTO_HEADER] = resolveClientProto(
    request.headers["x-forwarded-proto"],
    socket?.encrypted === true,
    hops,
  );
}

/**
 * Runs at start-up (instrumentation.ts). Next fills X-Forwarded-For with the socket's address only
 * when the client sent none, so by the time the app sees a request the socket's address is lost
 * whenever a client writes its own header. Wrapping the servers' emit('request') lets us read the
 * socket first, for every server in the process; headers of ours the client sent are overwritten.
 */
export function installClientAddressHook(hops = trustedProxyHops()): void {
  type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;
  for (const proto of [http.Server.prototype, https.Server.prototype] as unknown as Array<{
    emit: Emit;
    [installed]?: boolean;
  }>) {
    if (Object.prototype.hasOwnProperty.call(proto, installed)) continue;
    const emit = proto.emit;
    proto.emit = function (event, ...args) {
      if (event === "request") stampClientHeaders(args[0] as http.IncomingMessage, hops);
      return emit.call(this, event, ...args);
    };
    proto[installed] = true;
  }
}
