import fs from "node:fs";
import { expect } from "chai";
import { DataSource } from "typeorm";
import { dataSourceOptions } from "../../server/db/data-source.js";
import { testDatabaseKind, testDatabaseTarget } from "../support/database.js";

describe("database connection options", () => {
  it("connects over the Unix socket when the MariaDB URL names one", () => {
    const options = dataSourceOptions({ url: "mysql://root@localhost/desk?socketPath=/run/mysqld/mysqld.sock" }) as { socketPath?: string; trace?: boolean };
    expect(options.socketPath).to.equal("/run/mysqld/mysqld.sock");
    expect(options.trace).to.equal(false);
    expect((dataSourceOptions({ url: "mysql://root@127.0.0.1:3306/desk" }) as { socketPath?: string }).socketPath).to.equal(undefined);
  });

  it("works over the local socket when the machine has one", async function () {
    const socket = "/run/mysqld/mysqld.sock";
    if (testDatabaseKind !== "mysql" || !fs.existsSync(socket)) this.skip();
    // The run's own database and account, reached over the socket instead of TCP.
    const url = new URL((await testDatabaseTarget()).url!);
    url.hostname = "localhost";
    url.port = "";
    url.searchParams.set("socketPath", socket);
    const dataSource = new DataSource({ ...dataSourceOptions({ url: url.toString() }), migrations: [] });
    await dataSource.initialize();
    try {
      expect(await dataSource.query("SELECT 1 AS one")).to.deep.equal([{ one: 1 }]);
    } finally {
      await dataSource.destroy();
    }
  });

  it("keeps one promise wrapper per pooled MariaDB connection (mysql2 builds one, with a require(), per call)", async function () {
    if (testDatabaseKind !== "mysql") this.skip();
    const dataSource = new DataSource({ ...dataSourceOptions(await testDatabaseTarget()), migrations: [] });
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    try {
      const connection = (await runner.connect()) as { promise(): unknown };
      expect(connection.promise()).to.equal(connection.promise());
      expect(await runner.query("SELECT 1 AS one")).to.deep.equal([{ one: 1 }]);
    } finally {
      await runner.release();
      await dataSource.destroy();
    }
  });
});
