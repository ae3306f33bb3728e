import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLIENT_ADDRESS_HEADER,
  CLIENT_PROTO_HEADER,
  clientAddressFrom,
  normaliseAddress,
  resolveClientAddress,
  resolveClientProto,
  trustedProxyHops,
} from "@/lib/auth/client-address";
import { installClientAddressHook } from "@/lib/auth/client-address-hook";

describe("the client's address", () => {
  it("is the socket's peer by default, whatever the client writes in X-Forwarded-For", () => {
    expect(resolveClientAddress("203.0.113.9", "198.51.100.7", 0)).toBe("198.51.100.7");
    expect(resolveClientAddress("203.0.113.9, 10.0.0.1", "198.51.100.7", 0)).toBe("198.51.100.7");
    expect(resolveClientAddress(undefined, "198.51.100.7", 0)).toBe("198.51.100.7");
  });

  it("behind one trusted proxy is the entry that proxy appended, not the client's own", () => {
    // The client claims 1.1.1.1; the proxy at 10.0.0.2 appends the address it saw.
    expect(resolveClientAddress("1.1.1.1, 203.0.113.9", "10.0.0.2", 1)).toBe("203.0.113.9");
    expect(resolveClientAddress("203.0.113.9", "10.0.0.2", 1)).toBe("203.0.113.9");
    // Two hops: a CDN then a load balancer.
    expect(resolveClientAddress("6.6.6.6, 203.0.113.9, 10.0.0.3", "10.0.0.2", 2)).toBe(
      "203.0.113.9",
    );
    // Repeated headers count as one list.
    expect(resolveClientAddress(["6.6.6.6", "203.0.113.9"], "10.0.0.2", 1)).toBe("203.0.113.9");
  });

  it("with fewer entries than hops (someone bypassed the proxy) is the leftmost there is", () => {
    expect(resolveClientAddress(undefined, "198.51.100.7", 1)).toBe("198.51.100.7");
    expect(resolveClientAddress("203.0.113.9", "10.0.0.2", 3)).toBe("203.0.113.9");
  });

  it("has one spelling: no port, brackets or IPv4-mapped prefix", () => {
    expect(normaliseAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normaliseAddress("203.0.113.9:51234")).toBe("203.0.113.9");
    expect(normaliseAddress("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normaliseAddress("2001:db8::1")).toBe("2001:db8::1");
    expect(normaliseAddress(undefined)).toBe("unknown");
    expect(normaliseAddress("<script>")).toBe("script");
    expect(normaliseAddress("x".repeat(500))).toHaveLength(64);
  });

  it("says https only for a TLS socket or the trusted proxies' word", () => {
    expect(resolveClientProto("https", false, 0)).toBe("http");
    expect(resolveClientProto(undefined, true, 0)).toBe("https");
    expect(resolveClientProto("https", false, 1)).toBe("https");
    expect(resolveClientProto("https, http", false, 1)).toBe("http");
  });

  it("reads TURNAROUND_TRUSTED_PROXIES strictly", () => {
    expect(trustedProxyHops(undefined)).toBe(0);
    expect(trustedProxyHops("")).toBe(0);
    expect(trustedProxyHops("2")).toBe(2);
    expect(() => trustedProxyHops("-1")).toThrow(/TURNAROUND_TRUSTED_PROXIES/);
    expect(() => trustedProxyHops("yes")).toThrow(/TURNAROUND_TRUSTED_PROXIES/);
  });

  it("read without the hook's header is 'unknown', never X-Forwarded-For", () => {
    expect(clientAddressFrom(new Headers({ "x-forwarded-for": "1.2.3.4" }))).toBe("unknown");
    expect(clientAddressFrom(new Headers({ [CLIENT_ADDRESS_HEADER]: "::ffff:10.1.2.3" }))).toBe(
      "10.1.2.3",
    );
  });
});

describe("the start-up hook on a real server", () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    installClientAddressHook(0);
    server = http.createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          address: req.headers[CLIENT_ADDRESS_HEADER],
          proto: req.headers[CLIENT_PROTO_HEADER],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("overwrites forged headers and ignores a made-up X-Forwarded-For", async () => {
    for (const forged of ["203.0.113.1", "203.0.113.2"]) {
      const res = await fetch(`http://127.0.0.1:${port}/`, {
        headers: {
          "x-forwarded-for": forged,
          "x-forwarded-proto": "https",
          [CLIENT_ADDRESS_HEADER]: forged,
          [CLIENT_PROTO_HEADER]: "https",
        },
      });
      expect(await res.json()).toEqual({ address: "127.0.0.1", proto: "http" });
    }
  });
});
