import { MigrationInterface, QueryRunner } from "typeorm";

/** Drops the tickets' indexes on (status) and (customerId, status): others serve what they did (see the MariaDB migration). */
export class TicketRedundantIndexes1795676182517 implements MigrationInterface {
    name = 'TicketRedundantIndexes1795676182517'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_de6882383b85b5893c09b4e335"`);
        await queryRunner.query(`DROP INDEX "IDX_12b901b34113688b4786368510"`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "IDX_12b901b34113688b4786368510" ON "tickets" ("status") `);
        await queryRunner.query(`CREATE INDEX "IDX_de6882383b85b5893c09b4e335" ON "tickets" ("customerId", "status") `);
    }

}
