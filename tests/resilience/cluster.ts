/**
 * A throwaway PostgreSQL cluster for the crash test: initdb into a temporary folder, started on its
 * own port, stopped "immediate" (a crash: no checkpoint, no goodbye to clients) and started again,
 * removed at the end. The machine's shared PostgreSQL is never touched.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

function binDir(): string {
  try {
    const dir = execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
    if (fs.existsSync(path.join(dir, "initdb"))) return dir;
  } catch {
    // No pg_config on PATH: look where Debian installs the server.
  }
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length) throw new Error("No PostgreSQL server binaries (initdb) found.");
  return path.join(root, versions[0]!, "bin");
}

export class Cluster {
  readonly dir: string;
  readonly data: string;
  private readonly bin = binDir();
  /** initdb refuses to run as root: the cluster then belongs to the postgres user. */
  private readonly asPostgres = process.getuid?.() === 0;

  constructor(readonly port: number) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "turnaround-resilience-"));
    this.data = path.join(this.dir, "pg");
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  private run(tool: string, args: string[], check = true): string {
    const command = path.join(this.bin, tool);
    const child = this.asPostgres
      ? spawnSync("runuser", ["-u", "postgres", "--", command, ...args], { encoding: "utf8" })
      : spawnSync(command, args, { encoding: "utf8" });
    if (check && child.status !== 0) {
      throw new Error(`${tool} failed (${child.status}): ${child.stderr || child.stdout}`);
    }
    return child.stdout;
  }

  init(): void {
    if (this.asPostgres) fs.chownSync(this.dir, ...postgresIds());
    this.run("initdb", [
      "-D",
      this.data,
      "-U",
      "postgres",
      "--auth=trust",
      "-E",
      "UTF8",
      "--no-sync",
    ]);
    // Small and quick to start; the test's load is a few clients and one import.
    fs.appendFileSync(
      path.join(this.data, "postgresql.conf"),
      [
        `port = ${this.port}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${this.dir}'`,
        "max_connections = 60",
        "shared_buffers = 64MB",
        "fsync = on",
        "",
      ].join("\n"),
    );
  }

  start(): void {
    this.run("pg_ctl", [
      "-D",
      this.data,
      "-l",
      path.join(this.dir, "pg.log"),
      "-w",
      "-t",
      "120",
      "start",
    ]);
  }

  /** A crash as far as the clients and the data are concerned: recovery replays the WAL on start. */
  crash(): void {
    this.run("pg_ctl", ["-D", this.data, "-m", "immediate", "-w", "stop"]);
  }

  stop(): void {
    if (fs.existsSync(path.join(this.data, "postmaster.pid"))) {
      this.run("pg_ctl", ["-D", this.data, "-m", "fast", "-w", "-t", "60", "stop"], false);
    }
  }

  remove(): void {
    this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function postgresIds(): [number, number] {
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return [uid, gid];
}
