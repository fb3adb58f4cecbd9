// Fills a MariaDB database with a large data set for the benchmark: customers, campuses, reference persons with
// phone numbers, contracts and tickets. Usage: node dist/bench/generate-data.js mysql://root@127.0.0.1:3306/db [persons] [tickets]
import { createPool, type Pool } from "mysql2/promise";
import { openDatabase } from "../server/db/data-source.js";

const LANGUAGES = ["nl", "fr", "en", "de"] as const;
const TYPES = ["question", "incident", "change", "complaint"] as const;
/** Statuses of tickets from the last OPEN_WINDOW_DAYS; older ones were all resolved or closed, as on a desk that keeps up. */
const STATUSES = ["new", "open", "in_progress", "waiting_on_customer", "resolved", "closed", "closed", "closed"] as const;
const FINISHED = ["resolved", "closed", "closed", "closed"] as const;
const OPEN_WINDOW_DAYS = 30;

/** Inserts rows in multi-row statements of `batch` rows. */
async function insertRows(pool: Pool, table: string, columns: string[], rows: unknown[][], batch = 2000): Promise<void> {
  const head = `INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(", ")}) VALUES `;
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch);
    await pool.query(head + chunk.map(() => `(${columns.map(() => "?").join(", ")})`).join(", "), chunk.flat());
  }
}


/** Generates `persons` reference persons and `tickets` tickets; returns the id ranges created. */
export async function generateLargeDataSet(url: string, persons = 100_000, tickets = 1_000_000, log: (line: string) => void = console.log) {
  const dataSource = await openDatabase({ url });
  await dataSource.destroy();
  const pool = createPool({ uri: url, connectionLimit: 4, timezone: "Z" });
  const started = Date.now();
  const customers = Math.max(1, Math.round(persons / 50));
  const [[{ base }]] = (await pool.query("SELECT COALESCE(MAX(id), 0) AS base FROM customers")) as unknown as [[{ base: number }]];
  const [[{ personBase }]] = (await pool.query("SELECT COALESCE(MAX(id), 0) AS personBase FROM reference_persons")) as unknown as [[{ personBase: number }]];
  const [[{ campusBase }]] = (await pool.query("SELECT COALESCE(MAX(id), 0) AS campusBase FROM campuses")) as unknown as [[{ campusBase: number }]];
  await pool.query("INSERT IGNORE INTO sla_policies (id, name, twentyFourSeven, targets) VALUES (9000, 'Bench SLA', 0, ?)", [
    JSON.stringify({ critical: { firstResponseMinutes: 30, resolutionMinutes: 240 }, high: { firstResponseMinutes: 60, resolutionMinutes: 480 }, normal: { firstResponseMinutes: 240, resolutionMinutes: 1530 }, low: { firstResponseMinutes: 480, resolutionMinutes: 5100 } }),
  ]);
  await pool.query("INSERT IGNORE INTO products (id, code, name, active) VALUES (9000, 'BENCH', 'Bench product', 1)");

  const customerRows = Array.from({ length: customers }, (_, i) => [base + i + 1, `BENCH${base + i + 1}`, `Bench care group ${base + i + 1}`]);
  await insertRows(pool, "customers", ["id", "code", "name"], customerRows);
  const campusRows = customerRows.flatMap(([id]) => [1, 2].map((k) => [campusBase + ((id as number) - base - 1) * 2 + k, id, `Campus ${k}`]));
  await insertRows(pool, "campuses", ["id", "customerId", "name"], campusRows);
  const contractRows = customerRows.map(([id]) => [id, `BENCH-MC-${id}`, id, "2020-01-01", "2099-12-31", 1, 9000]);
  await insertRows(pool, "contracts", ["id", "reference", "customerId", "validFrom", "validTo", "paid", "slaPolicyId"], contractRows.map((r) => [(r[0] as number) + 100_000_000, ...r.slice(1)]));
  await insertRows(pool, "contract_products", ["contractId", "productId"], customerRows.map(([id]) => [(id as number) + 100_000_000, 9000]));
  log(`customers, campuses, contracts: ${customers} in ${Date.now() - started} ms`);

  const personRows: unknown[][] = [];
  const phoneRows: unknown[][] = [];
  for (let n = 0; n < persons; n++) {
    const id = personBase + n + 1;
    const customerId = base + (n % customers) + 1;
    const role = n % 50 === 0 ? "general" : n % 50 === 1 ? "technical" : "campus";
    personRows.push([id, customerId, role === "campus" ? campusBase + (n % customers) * 2 + 1 : null, role, "Bench", `Person ${id}`, LANGUAGES[n % 4]]);
    phoneRows.push([id, `+3247${String(10_000_000 + id).slice(-7)}`]);
  }
  await insertRows(pool, "reference_persons", ["id", "customerId", "campusId", "role", "firstName", "lastName", "language"], personRows);
  await insertRows(pool, "phone_numbers", ["personId", "e164"], phoneRows);
  log(`reference persons with numbers: ${persons} in ${Date.now() - started} ms`);

  const [[{ ticketBase }]] = (await pool.query("SELECT COALESCE(MAX(id), 0) AS ticketBase FROM tickets")) as unknown as [[{ ticketBase: number }]];
  const now = Date.now();
  for (let offset = 0; offset < tickets; offset += 50_000) {
    const rows: unknown[][] = [];
    for (let n = offset; n < Math.min(tickets, offset + 50_000); n++) {
      const id = ticketBase + n + 1;
      const customerId = base + (n % customers) + 1;
      const createdAt = new Date(now - (tickets - n) * 30_000);
      // The status cycles apart from the type (n / 4), so every type has every status.
      const recent = now - createdAt.getTime() < OPEN_WINDOW_DAYS * 86_400_000;
      const status = recent ? STATUSES[(n + Math.floor(n / 4)) % STATUSES.length] : FINISHED[(n + Math.floor(n / 4)) % FINISHED.length];
      rows.push([id, `B${id}`, TYPES[n % 4], status, customerId, personBase + (n % persons) + 1, LANGUAGES[n % 4], 1, createdAt, createdAt]);
    }
    await insertRows(pool, "tickets", ["id", "number", "contactType", "status", "customerId", "reporterId", "language", "entitled", "createdAt", "updatedAt"], rows, 5000);
  }
  log(`tickets: ${tickets} in ${Date.now() - started} ms`);
  // Their history, as the desk wrote it: every ticket's `created` event, and the last status change of a finished one.
  // Without it the events table would hold only what the benchmark's calls add, and the jobs and scans that look up
  // a ticket's events would be measured against a desk with no past.
  await pool.query(
    `INSERT INTO ticket_events (ticketId, type, actorType, actorId, data, createdAt)
     SELECT id, 'created', 'caller', reporterId, CONCAT('{"number":"', number, '","contactType":"', contactType, '","priority":"', priority, '","entitled":true,"entitlementReason":null}'), createdAt
     FROM tickets WHERE id > ?`,
    [ticketBase],
  );
  await pool.query(
    `INSERT INTO ticket_events (ticketId, type, actorType, actorId, data, createdAt)
     SELECT id, 'status_changed', 'agent', NULL, CONCAT('{"from":"in_progress","to":"', status, '"}'), updatedAt
     FROM tickets WHERE id > ? AND status IN ('resolved', 'closed')`,
    [ticketBase],
  );
  log(`ticket history (created and finishing events) in ${Date.now() - started} ms`);
  // A desk in its steady state has run its follow-ups: the open complaints were brought to a supervisor, the tickets
  // waiting on the customer were reminded and noticed (closing far ahead), as the jobs record them. Without these
  // events every follow-up scan during the bench would find thousands due, as after importing a backlog.
  const since = "CONCAT(DATE_FORMAT(updatedAt, '%Y-%m-%dT%H:%i:%s.'), LPAD(FLOOR(MICROSECOND(updatedAt) / 1000), 3, '0'), 'Z')";
  const followUps: [string, string, string][] = [
    ["complaint_follow_up_requested", "'{}'", "contactType = 'complaint' AND status NOT IN ('resolved', 'closed')"],
    ["complaint_follow_up_overdue", "'{}'", "contactType = 'complaint' AND status NOT IN ('resolved', 'closed')"],
    ["follow_up_reminder", `CONCAT('{"since":"', ${since}, '","days":3}')`, "status = 'waiting_on_customer'"],
    ["auto_close_notice", `CONCAT('{"since":"', ${since}, '","closesOn":"2999-01-01T00:00:00.000Z","smsId":null}')`, "status = 'waiting_on_customer'"],
  ];
  for (const [type, data, where] of followUps) {
    await pool.query(`INSERT INTO ticket_events (ticketId, type, actorType, data, createdAt) SELECT id, '${type}', 'system', ${data}, updatedAt FROM tickets WHERE id > ? AND ${where}`, [ticketBase]);
  }
  log(`follow-up events of the open tickets in ${Date.now() - started} ms`);
  // Measured after the bulk load has settled: fresh statistics, and InnoDB done writing the new pages back
  // (otherwise the first minute after the load measures the flushing, not the data set).
  await pool.query("ANALYZE TABLE tickets, ticket_events, reference_persons, phone_numbers, contracts");
  // A buffer pool much larger than the dirty pages makes InnoDB put off writing them: it is asked to write them now.
  const settleStarted = Date.now();
  const [[dirtyLimit]] = (await pool.query("SELECT @@innodb_max_dirty_pages_pct AS pct")) as unknown as [[{ pct: number }]];
  await pool.query("SET GLOBAL innodb_max_dirty_pages_pct = 0");
  try {
    for (;;) {
      const [[row]] = (await pool.query("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'")) as unknown as [[{ Value: string }]];
      if (Number(row?.Value ?? 0) < 500 || Date.now() - settleStarted > 90_000) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    await pool.query(`SET GLOBAL innodb_max_dirty_pages_pct = ${Number(dirtyLimit.pct)}`);
  }
  log(`settled (statistics, dirty pages written) in ${Date.now() - settleStarted} ms`);
  await pool.end();
  return { customers, persons, tickets, firstPersonId: personBase + 1, phoneOf: (personId: number) => `+3247${String(10_000_000 + personId).slice(-7)}` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [url, persons, tickets] = process.argv.slice(2);
  if (!url?.startsWith("mysql://")) {
    console.error("usage: node dist/bench/generate-data.js mysql://user@host:3306/database [persons=100000] [tickets=1000000]");
    process.exit(2);
  }
  await generateLargeDataSet(url, Number(persons ?? 100_000), Number(tickets ?? 1_000_000));
}
