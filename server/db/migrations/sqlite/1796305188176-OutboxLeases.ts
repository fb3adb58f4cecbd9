import { MigrationInterface, QueryRunner } from "typeorm";

/** The outbox relay's lease, back-off, per-processor progress and dead letter (see the MariaDB migration). */
export class OutboxLeases1796305188176 implements MigrationInterface {
    name = 'OutboxLeases1796305188176'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_a3d1124e572f35410dc4871825"`);
        await queryRunner.query(`CREATE TABLE "temporary_outbox_messages" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "topic" varchar(80) NOT NULL, "payload" text NOT NULL, "publishedAt" datetime, "attempts" integer NOT NULL DEFAULT (0), "lastError" varchar(500), "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "deliveredTo" text, "nextAttemptAt" datetime(3), "leaseOwner" varchar(100), "leasedUntil" datetime(3), "deadAt" datetime)`);
        await queryRunner.query(`INSERT INTO "temporary_outbox_messages"("id", "topic", "payload", "publishedAt", "attempts", "lastError", "createdAt") SELECT "id", "topic", "payload", "publishedAt", "attempts", "lastError", "createdAt" FROM "outbox_messages"`);
        await queryRunner.query(`DROP TABLE "outbox_messages"`);
        await queryRunner.query(`ALTER TABLE "temporary_outbox_messages" RENAME TO "outbox_messages"`);
        await queryRunner.query(`CREATE INDEX "IDX_a3d1124e572f35410dc4871825" ON "outbox_messages" ("publishedAt", "id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_a3d1124e572f35410dc4871825"`);
        await queryRunner.query(`ALTER TABLE "outbox_messages" RENAME TO "temporary_outbox_messages"`);
        await queryRunner.query(`CREATE TABLE "outbox_messages" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "topic" varchar(80) NOT NULL, "payload" text NOT NULL, "publishedAt" datetime, "attempts" integer NOT NULL DEFAULT (0), "lastError" varchar(500), "createdAt" datetime NOT NULL DEFAULT (datetime('now')))`);
        await queryRunner.query(`INSERT INTO "outbox_messages"("id", "topic", "payload", "publishedAt", "attempts", "lastError", "createdAt") SELECT "id", "topic", "payload", "publishedAt", "attempts", "lastError", "createdAt" FROM "temporary_outbox_messages"`);
        await queryRunner.query(`DROP TABLE "temporary_outbox_messages"`);
        await queryRunner.query(`CREATE INDEX "IDX_a3d1124e572f35410dc4871825" ON "outbox_messages" ("publishedAt", "id") `);
    }

}
