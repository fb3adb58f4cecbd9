import { MigrationInterface, QueryRunner } from "typeorm";

/** Calls indexed by (endedAt, createdAt) for the call status check (see the MariaDB migration). */
export class CallsNotOver1795685916358 implements MigrationInterface {
    name = 'CallsNotOver1795685916358'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "IDX_f8072ae1ba52dd3afe359ab263" ON "calls" ("endedAt", "createdAt") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_f8072ae1ba52dd3afe359ab263"`);
    }

}
