import { expect } from "chai";
import { AuditEntry } from "../../entities/AuditEntry.js";
import { PhoneNumber } from "../../entities/PhoneNumber.js";
import { ReferencePerson } from "../../entities/ReferencePerson.js";
import { testDatabaseKind } from "../support/database.js";
import type { TestServer } from "../support/app.js";
import { seedCustomer, type AdminClient, startAdminSession } from "../routes/admin/helpers.js";
import { mobileNumber, waitForImport } from "./support.js";

const HEADER = "customer;campus;role;firstName;lastName;email;language;phones;pin";

describe("CSV import of reference persons", () => {
  let server: TestServer;
  let admin: AdminClient;

  beforeEach(async () => {
    ({ server, admin } = await startAdminSession());
    await seedCustomer(admin, "ZORG-A", ["Campus Noord", "Campus Zuid"]);
    await seedCustomer(admin, "ZORG-B", ["Hoofdzetel"]);
  });
  afterEach(async () => {
    await server.close();
  });

  const persons = () => server.context.dataSource.getRepository(ReferencePerson).count();

  it("lists every row's problems in a dry run and writes nothing", async () => {
    const csv = [
      HEADER,
      "ZORG-A;Campus Noord;campus;An;Peeters;an@zorg-a.be;nl;0470 12 34 56;1234",
      "ZORG-X;;general;Bert;Claes;;nl;;", // unknown customer
      "ZORG-A;Campus Oost;campus;Chris;Dams;;nl;;", // unknown campus
      "ZORG-A;;campus;Dirk;Elst;;nl;;", // campus role without campus
      "ZORG-A;;technical;Eva;Fox;;nl;0470 12 34;", // invalid number
      "ZORG-A;;general;an;PEETERS;;nl;;", // duplicate of row 2
      "ZORG-A;;general;Gert;Hendrickx;geen-mail;xx;;12", // e-mail, language, pin
      "ZORG-A;;general;Hilde;Ivens;;nl;;1234", // PIN also on row 2
      "ZORG-B;Hoofdzetel;chef;Ine;Jacobs;;nl;;", // role
      "ZORG-B;Hoofdzetel;campus;Jan;Klaas;;fr", // wrong column count
    ].join("\n");
    const answer = await admin.send("POST", "/imports/persons?dryRun=true", csv);
    expect(answer.status).to.equal(200);
    expect(answer.body).to.include({ ok: false, delimiter: ";", rows: 10, validRows: 1 });
    const problems = answer.body.problems.map((p: { row: number; field: string; code: string }) => `${p.row}:${p.field}:${p.code}`);
    expect(problems).to.deep.equal([
      "3:customer:unknown_customer",
      "4:campus:unknown_campus",
      "5:campus:role_needs_campus",
      "6:phones:invalid_number",
      "7:lastName:duplicate_person",
      "8:email:invalid_email",
      "8:language:invalid_language",
      "8:pin:invalid_pin",
      "9:pin:pin_taken",
      "10:role:invalid_role",
      "11:null:wrong_column_count",
    ]);
    expect(await persons()).to.equal(0);
  });

  it("reports a malformed file (unclosed quote) and unknown columns as problems of the file", async () => {
    const unclosed = await admin.send("POST", "/imports/persons?dryRun=true", `${HEADER}\nZORG-A;"Campus Noord;campus;An;Peeters;;nl;;\n`);
    expect(unclosed.status).to.equal(200);
    expect(unclosed.body.ok).to.equal(false);
    expect(unclosed.body.problems[0].code).to.equal("malformed_csv");
    const columns = await admin.send("POST", "/imports/persons?dryRun=true", "customer,role,first,lastName,shoeSize\nZORG-A,general,An,Peeters,42\n");
    expect(columns.body.problems.map((p: { code: string; field: string }) => `${p.code}:${p.field}`)).to.deep.equal(["missing_column:firstName", "unknown_column:first", "unknown_column:shoeSize"]);
  });

  it("refuses a real import with problems as a whole: nothing is written", async () => {
    const csv = [HEADER, "ZORG-A;Campus Noord;campus;An;Peeters;;nl;0470 12 34 56;", "ZORG-A;;campus;Bert;Claes;;nl;;"].join("\n");
    const started = await admin.send("POST", "/imports/persons", csv);
    expect(started.status).to.equal(202);
    const { job } = await waitForImport(admin, started.body.id);
    expect(job.status).to.equal("rejected");
    expect(job.report.problems).to.have.length(1);
    expect(await persons()).to.equal(0);
    // The stored upload and the lock go with the job's end; only the job's state stays for the poll.
    expect(await server.context.redis.keys(`${server.context.env.REDIS_PREFIX}:admin-import:*`)).to.deep.equal([`${server.context.env.REDIS_PREFIX}:admin-import:job:${started.body.id}`]);
  });

  it("writes nothing when the bad row comes after batches were already written (the transaction rolls back)", async () => {
    const rows = [HEADER];
    for (let i = 0; i < 1_200; i++) rows.push(`ZORG-A;;general;Voornaam${i};Achternaam${i};;nl;${mobileNumber(i).typed};`);
    rows.push("ZORG-A;;general;Laatste;Rij;;nl;0470 12;");
    const started = await admin.send("POST", "/imports/persons", rows.join("\n"));
    const { job } = await waitForImport(admin, started.body.id);
    expect(job.status).to.equal("rejected");
    expect(job.report).to.include({ rows: 1_201, validRows: 1_200, problemCount: 1 });
    expect(job.report.problems[0]).to.include({ row: 1_202, code: "invalid_number" });
    expect(await persons()).to.equal(0);
    expect(await server.context.dataSource.getRepository(PhoneNumber).count()).to.equal(0);
    expect(await server.context.dataSource.getRepository(AuditEntry).countBy({ action: "import" })).to.equal(0);
  });

  it("imports a comma-separated file with a BOM, Belgian number notations and a shared number across customers", async () => {
    const csv = [
      "\uFEFFcustomer,campus,role,firstName,lastName,email,language,phones,pin",
      'ZORG-A,Campus Noord,campus,Élise,Dubois,Elise@Zorg-A.be,Français,"0470 12 34 56 | 03/123.45.67",4321',
      'ZORG-A,,algemeen,Jan,Peeters,,nl,+32 (0)3 123 45 67,',
      "ZORG-B,Hoofdzetel,campus,Marie,Claes,,fr,0032 3 123 45 67,",
    ].join("\r\n");
    const dry = await admin.send("POST", "/imports/persons?dryRun=true", csv);
    expect(dry.body).to.include({ ok: true, delimiter: ",", rows: 3, validRows: 3 });
    const started = await admin.send("POST", "/imports/persons", csv);
    expect(started.status).to.equal(202);
    expect(started.headers.get("location")).to.equal(`/api/admin/imports/jobs/${started.body.id}`);
    const { job } = await waitForImport(admin, started.body.id);
    expect(job).to.include({ status: "completed", total: 3, processed: 3 });
    expect(job.result).to.deep.equal({ created: 3, phoneNumbers: 4 });
    expect(job.report).to.include({ ok: true, rows: 3, validRows: 3, problemCount: 0 });

    const list = await admin.get(`/persons?q=${encodeURIComponent("03 123 45 67")}`);
    expect(list.body.items.map((p: { lastName: string }) => p.lastName).sort()).to.deep.equal(["Claes", "Dubois", "Peeters"]);
    const elise = list.body.items.find((p: { lastName: string }) => p.lastName === "Dubois");
    expect(elise).to.include({ firstName: "Élise", email: "elise@zorg-a.be", language: "fr", role: "campus", hasPin: true });
    expect(elise.campus.name).to.equal("Campus Noord");
    expect(elise.phoneNumbers.map((n: { e164: string }) => n.e164)).to.deep.equal(["+32470123456", "+3231234567"]);

    const audits = await server.context.dataSource.getRepository(AuditEntry).find({ where: { action: "import" } });
    expect(audits).to.have.length(4);
    expect(audits.every((a) => a.actorAgentId === admin.agent.id)).to.equal(true);
  });

  it("runs one import at a time", async () => {
    const csv = [HEADER, "ZORG-A;;general;An;Peeters;;nl;;"].join("\n");
    await server.context.redis.set(`${server.context.env.REDIS_PREFIX}:admin-import:lock`, "someone-else", "EX", 60);
    const answer = await admin.send("POST", "/imports/persons", csv);
    expect(answer.status).to.equal(409);
    expect(answer.body.error.id).to.equal("import_running");
  });

  it("refuses text/plain (a cross-site no-cors request can send that) and a compressed body with 415, importing nothing", async () => {
    const csv = [HEADER, "ZORG-A;;general;An;Peeters;;nl;;"].join("\n");
    const plain = await admin.send("POST", "/imports/persons", csv, "text/plain");
    expect(plain.status).to.equal(415);
    expect(plain.body.error).to.include({ id: "unsupported_media_type", field: "content-type" });
    const latin1 = await admin.send("POST", "/imports/persons?dryRun=true", csv, "text/csv; charset=windows-1252");
    expect(latin1.status).to.equal(415);
    expect(await persons()).to.equal(0);
    expect(await server.context.redis.get(`${server.context.env.REDIS_PREFIX}:admin-import:lock`)).to.equal(null);
  });

  it("streams an upload without a Content-Length and stops it at 20 MB (413), leaving no lock and no stored piece behind", async function () {
    this.timeout(60_000);
    const row = "ZORG-A;;general;Voornaam;Achternaam;;nl;;\n";
    const chunk = Buffer.from(row.repeat(Math.ceil((1024 * 1024) / row.length)));
    for (const query of ["", "?dryRun=true"]) {
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 0) controller.enqueue(Buffer.from(HEADER + "\n"));
          if (sent > 22 * 1024 * 1024) controller.close();
          else {
            sent += chunk.length;
            controller.enqueue(chunk);
          }
        },
      });
      const response = await fetch(`${server.url}/api/admin/imports/persons${query}`, {
        method: "POST", headers: { "content-type": "text/csv", cookie: admin.cookie, origin: new URL(server.url).origin }, body, duplex: "half",
      } as RequestInit);
      expect(response.status, query).to.equal(413);
      expect(((await response.json()) as { error: { id: string } }).error.id).to.equal("too_large");
    }
    expect(await server.context.redis.keys(`${server.context.env.REDIS_PREFIX}:admin-import:*`)).to.deep.equal([]);
    expect(await persons()).to.equal(0);
  });

  it("imports 10,000 rows in seconds, showing progress while it writes", async function () {
    this.timeout(120_000);
    const rows = [HEADER];
    const campuses = ["Campus Noord", "Campus Zuid"];
    for (let i = 0; i < 10_000; i++) {
      const customer = i % 3 === 0 ? "ZORG-B" : "ZORG-A";
      const campus = customer === "ZORG-B" ? "Hoofdzetel" : campuses[i % 2]!;
      const role = i % 10 === 0 ? "general" : i % 10 === 1 ? "technical" : "campus";
      rows.push([customer, campus, role, `Voornaam${i}`, `Achternaam${i}`, `persoon${i}@example.be`, ["nl", "fr", "en", "de"][i % 4], mobileNumber(i).typed, ""].join(";"));
    }
    const csv = rows.join("\n");

    let t0 = Date.now();
    const dry = await admin.send("POST", "/imports/persons?dryRun=true", csv);
    const dryMs = Date.now() - t0;
    expect(dry.body).to.include({ ok: true, rows: 10_000, validRows: 10_000 });

    t0 = Date.now();
    const started = await admin.send("POST", "/imports/persons", csv);
    expect(started.status).to.equal(202);
    const { job, progress } = await waitForImport(admin, started.body.id);
    const totalMs = Date.now() - t0;
    expect(job.status, job.error ?? "").to.equal("completed");
    expect(job.result).to.deep.equal({ created: 10_000, phoneNumbers: 10_000 });
    expect(new Set(progress).size).to.be.greaterThan(1);
    expect(totalMs).to.be.lessThan(30_000);

    expect(await persons()).to.equal(10_000);
    expect(await server.context.dataSource.getRepository(PhoneNumber).count()).to.equal(10_000);
    const sample = await admin.get(`/persons?q=${encodeURIComponent(mobileNumber(4321).typed)}`);
    expect(sample.body.items.map((p: { firstName: string }) => p.firstName)).to.deep.equal(["Voornaam4321"]);
    console.log(`      [timing ${testDatabaseKind}] 10,000 persons: dry run ${dryMs} ms; import job ${job.durationMs} ms (check ${job.timings.validateMs} ms, write ${job.timings.writeMs} ms); ${totalMs} ms until the poll saw it done`);

    const again = await admin.send("POST", "/imports/persons?dryRun=true", csv);
    expect(again.body.problems).to.have.length(10_000);
    expect(again.body.problemCount).to.equal(10_000);
    expect(again.body.problems[0].code).to.equal("duplicate_person");
  });
});
