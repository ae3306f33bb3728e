import { afterEach, describe, expect, it, vi } from "vitest";
import { authSecretProblem, getAuthSecret } from "@/lib/auth/secret";
import { demoSetting, refuseToStartIfMisconfigured, startupProblems } from "@/lib/startup";

/* Issue #12, point 1: a production server never invents the secret that signs its sessions. */

describe("AUTH_SECRET at start-up", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it("a production server without AUTH_SECRET is refused, saying what to set", () => {
    for (const secret of [undefined, "", "   "]) {
      const problem = authSecretProblem({ NODE_ENV: "production", AUTH_SECRET: secret });
      expect(problem).toMatch(/^AUTH_SECRET is not set/);
      expect(problem).toContain("openssl rand -base64 32");
    }
    expect(startupProblems({ NODE_ENV: "production", DATABASE_URL: "postgres://x/y" })).toEqual([
      expect.stringMatching(/^AUTH_SECRET is not set/),
    ]);
  });

  it("a production server with AUTH_SECRET, and development and tests without, may start", () => {
    expect(
      authSecretProblem({ NODE_ENV: "production", AUTH_SECRET: "s3cret-from-the-vault" }),
    ).toBeNull();
    expect(authSecretProblem({ NODE_ENV: "development" })).toBeNull();
    expect(authSecretProblem({ NODE_ENV: "test" })).toBeNull();
    expect(startupProblems({ NODE_ENV: "production", AUTH_SECRET: "s3cret" })).toEqual([]);
  });

  it("stops the process before it serves, with the message in the log", () => {
    const exit = vi.spyOn(process, "exit").mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: string) => void errors.push(line));
    expect(() => refuseToStartIfMisconfigured({ NODE_ENV: "production" })).toThrow("exit 1");
    expect(exit).toHaveBeenCalledWith(1);
    expect(errors[0]).toBe(
      "[turnaround] AUTH_SECRET is not set, and a production server needs it to sign sessions.",
    );
    expect(errors.at(-1)).toBe("[turnaround] not starting.");

    exit.mockClear();
    refuseToStartIfMisconfigured({ NODE_ENV: "production", AUTH_SECRET: "s3cret" });
    expect(exit).not.toHaveBeenCalled();
  });

  it("the session secret is never generated in production", () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("AUTH_SECRET", "");
    expect(() => getAuthSecret()).toThrow(/AUTH_SECRET is not set/);
    vi.stubEnv("AUTH_SECRET", "from-the-environment");
    expect(getAuthSecret()).toBe("from-the-environment");
  });
});

describe("TURNAROUND_DEMO", () => {
  it("reads on, off and unset; TURNAROUND_SEED=off still means off", () => {
    expect(demoSetting({})).toBe("default");
    expect(demoSetting({ TURNAROUND_DEMO: "on" })).toBe("on");
    expect(demoSetting({ TURNAROUND_DEMO: "OFF" })).toBe("off");
    expect(demoSetting({ TURNAROUND_SEED: "off" })).toBe("off");
    expect(demoSetting({ TURNAROUND_DEMO: "on", TURNAROUND_SEED: "off" })).toBe("on");
  });

  it("refuses to start on a value it does not know rather than guess", () => {
    expect(startupProblems({ TURNAROUND_DEMO: "yes" })).toEqual([
      'TURNAROUND_DEMO must be "on" or "off" (it is "yes").',
    ]);
  });
});
