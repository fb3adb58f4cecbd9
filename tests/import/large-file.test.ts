import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { DataSource } from "typeorm";
import { PhoneNumber } from "../../entities/PhoneNumber.js";
import { ReferencePerson } from "../../entities/ReferencePerson.js";
import { openSession } from "../../server/auth/sessions.js";
import { dataSourceOptions } from "../../server/db/data-source.js";
import { MAX_UPLOAD_BYTES } from "../../server/import/import-store.js";
import { MAX_LISTED_PROBLEMS } from "../../server/import/report.js";
import { TEST_AUTH_TOKEN } from "../support/app.js";
import { resetDatabase, testDatabaseKind, testDatabaseTarget, testDataSource } from "../support/database.js";
import { fixtures } from "../support/fixtures.js";
import { freePort, killOnExit, waitFor } from "../support/wait.js";
import { deleteKeys, uniquePrefix } from "../scale/support/desk.js";
import { mobileNumber } from "./support.js";

const ROWS = 250_000;
/** The bound the issue sets for the process doing an import of the largest allowed file. */
const RSS_LIMIT_MB = 300;
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const SERVER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../server");

/**
 * Peak resident set size of a process so far, in MB, from the kernel's high-water mark (VmHWM in
 * /proc/<pid>/status): every page the process ever had resident counts, nothing is missed between samples.
 */
function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]);
  return Math.round(kb / 1024);
}

/** A real entry point (`npm start`'s main.js or `npm run worker`'s worker.js) with the heap cap of package.json's scripts. */
function startEntry(entry: "main.js" | "worker.js", env: Record<string, string>, ready: string): Promise<{ child: ChildProcess; output: string[] }> {
  const child = spawn(process.execPath, ["--max-old-space-size=256", path.join(SERVER, entry)], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", NODE_ENV: "test", LOG_LEVEL: "info", REDIS_AUTOSTART: "false", SEED_ON_EMPTY: "false", TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  killOnExit(child);
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(String(chunk));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  return waitFor(
    async () => {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${entry} exited: ${output.join("").slice(-3000)}`);
      return output.join("").includes(ready) ? { child, output } : null;
    },
    60_000,
    `${entry} to start`,
  );
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  await exited;
  clearTimeout(timer);
}

/** Writes a persons file of `rows` rows (three customers' campuses, one number each, some PINs) without holding it in memory. */
async function writePersonsFile(file: string, rows: number): Promise<number> {
  const campuses = ["Campus Noord", "Campus Zuid"];
  await pipeline(
    (function* () {
      yield "customer;campus;role;firstName;lastName;email;language;phones;pin\r\n";
      let lines: string[] = [];
      for (let i = 0; i < rows; i++) {
        const customer = i % 3 === 0 ? "ZORG-B" : "ZORG-A";
        const campus = customer === "ZORG-B" ? "Hoofdzetel" : campuses[i % 2]!;
        const role = i % 10 === 0 ? "general" : i % 10 === 1 ? "technical" : "campus";
        const email = i % 4 === 0 ? `p${i}@zorg.be` : "";
        const pin = i % 5 === 0 ? String(10_000_000 + i) : "";
        lines.push([customer, campus, role, `Voorn${i}`, `Achtern${i}`, email, ["nl", "fr", "en", "de"][i % 4], mobileNumber(i).typed, pin].join(";"));
        if (lines.length === 1000) {
          yield lines.join("\r\n") + "\r\n";
          lines = [];
        }
      }
      if (lines.length > 0) yield lines.join("\r\n") + "\r\n";
    })(),
    fs.createWriteStream(file),
  );
  return fs.statSync(file).size;
}

/** POSTs a file from disk as a streamed text/csv body; returns status and parsed JSON. */
function upload(url: string, cookie: string, file: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "POST", headers: { "content-type": "text/csv", "content-length": fs.statSync(file).size, cookie, origin: new URL(url).origin } }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, body: JSON.parse(text) }));
      response.on("error", reject);
    });
    request.on("error", reject);
    fs.createReadStream(file).pipe(request);
  });
}

describe("CSV import of the largest allowed file, in real processes with a 256 MB heap", function () {
  this.timeout(20 * 60_000);
  const prefix = uniquePrefix("import-large");
  let dir: string;
  let file: string;
  let web: { child: ChildProcess; output: string[] } | undefined;
  let worker: { child: ChildProcess; output: string[] } | undefined;
  let dataSource: DataSource;
  let ownDataSource: DataSource | undefined;
  let baseUrl: string;
  let cookie: string;

  before(async function () {
    if (!fs.existsSync("/proc/self/status")) this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sd-import-large-"));
    file = path.join(dir, "persons.csv");
    const bytes = await writePersonsFile(file, ROWS);
    expect(bytes, "file size").to.be.within(15 * 1024 * 1024, MAX_UPLOAD_BYTES);

    const target = await testDatabaseTarget();
    // The embedded database is one file under DATA_DIR, shared by the two processes (as on one host); MariaDB is the run's database.
    const database: Record<string, string> = target.url ? { DATABASE_URL: target.url } : { DATA_DIR: dir };
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const env = { ...database, REDIS_URL, REDIS_PREFIX: prefix, PUBLIC_BASE_URL: baseUrl, PORT: String(port) };
    web = await startEntry("main.js", { ...env, RUN_WORKERS: "false" }, "servicedesk listening");
    worker = await startEntry("worker.js", env, "workers running");

    if (target.url) dataSource = await testDataSource();
    else {
      ownDataSource = new DataSource(dataSourceOptions({ sqliteFile: path.join(dir, "servicedesk.sqlite") }));
      dataSource = await ownDataSource.initialize();
    }
    await resetDatabase(dataSource);
    const make = fixtures(dataSource);
    const a = await make.customer({ code: "ZORG-A" });
    await make.campus(a, { name: "Campus Noord" });
    await make.campus(a, { name: "Campus Zuid" });
    const b = await make.customer({ code: "ZORG-B" });
    await make.campus(b, { name: "Hoofdzetel" });
    const admin = await make.agent({ role: "admin" });
    cookie = `sd_session=${(await openSession(dataSource, admin.id, 1)).token}`;
  });

  after(async () => {
    await stopChild(worker?.child);
    await stopChild(web?.child);
    if (dataSource) await resetDatabase(dataSource);
    await ownDataSource?.destroy();
    await deleteKeys(REDIS_URL, prefix);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`checks, imports and checks again ${ROWS.toLocaleString("en")} reference persons, each process staying under ${RSS_LIMIT_MB} MB`, async () => {
    const size = (fs.statSync(file).size / 1024 / 1024).toFixed(1);
    const log = (line: string) => console.log(`      [${testDatabaseKind}] ${line}`);

    let t0 = Date.now();
    const dry = await upload(`${baseUrl}/api/admin/imports/persons?dryRun=true`, cookie, file);
    const dryMs = Date.now() - t0;
    expect(dry.status, JSON.stringify(dry.body).slice(0, 500)).to.equal(200);
    expect(dry.body, JSON.stringify(dry.body.problems?.slice(0, 5))).to.include({ ok: true, rows: ROWS, validRows: ROWS, problemCount: 0 });
    log(`dry run of ${size} MB, ${ROWS} rows: ${dryMs} ms; web process peak RSS ${peakRssMb(web!.child.pid!)} MB`);

    t0 = Date.now();
    const started = await upload(`${baseUrl}/api/admin/imports/persons`, cookie, file);
    expect(started.status, JSON.stringify(started.body)).to.equal(202);
    expect(started.body).to.include({ status: "queued", total: ROWS });
    const uploadMs = Date.now() - t0;
    const percents = new Set<number>();
    const job = await waitFor(
      async () => {
        const answer = await fetch(`${baseUrl}/api/admin/imports/jobs/${started.body.id}`, { headers: { cookie } });
        const body = await answer.json();
        if (body.total > 0) percents.add(Math.floor((body.processed / body.total) * 10));
        return ["completed", "rejected", "failed"].includes(body.status) ? body : null;
      },
      15 * 60_000,
      "the import job",
      250,
    );
    const importMs = Date.now() - t0;
    expect(job.status, job.error ?? JSON.stringify(job.report?.problems?.slice(0, 5))).to.equal("completed");
    expect(job).to.include({ total: ROWS, processed: ROWS });
    expect(job.result).to.deep.equal({ created: ROWS, phoneNumbers: ROWS });
    expect(job.report).to.include({ ok: true, rows: ROWS, problemCount: 0 });
    expect(percents.size, "progress values seen").to.be.greaterThan(2);
    expect(await dataSource.getRepository(ReferencePerson).count()).to.equal(ROWS);
    expect(await dataSource.getRepository(PhoneNumber).count()).to.equal(ROWS);
    const workerPeak = peakRssMb(worker!.child.pid!);
    log(`import: upload ${uploadMs} ms, job ${job.durationMs} ms (check ${job.timings.validateMs} ms, write ${job.timings.writeMs} ms), ${importMs} ms until the poll saw it done; worker peak RSS ${workerPeak} MB`);

    // The same file again: every row is now a duplicate, the worst report (250,000 problems, the first 10,000 listed).
    t0 = Date.now();
    const again = await upload(`${baseUrl}/api/admin/imports/persons?dryRun=true`, cookie, file);
    expect(again.status).to.equal(200);
    expect(again.body).to.include({ ok: false, rows: ROWS, validRows: 0 });
    expect(again.body.problemCount).to.be.at.least(ROWS);
    expect(again.body.problems).to.have.length(MAX_LISTED_PROBLEMS);
    expect(again.body.problems[0]).to.include({ row: 2, code: "duplicate_person" });
    const webPeak = peakRssMb(web!.child.pid!);
    log(`dry run of the imported file again (${again.body.problemCount} problems): ${Date.now() - t0} ms; web process peak RSS ${webPeak} MB`);

    expect(webPeak, "web process peak RSS (MB)").to.be.below(RSS_LIMIT_MB);
    expect(workerPeak, "worker process peak RSS (MB)").to.be.below(RSS_LIMIT_MB);
  });
});
