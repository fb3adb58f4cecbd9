import { MigrationInterface, QueryRunner } from "typeorm";

/** Ticket events indexed by (ticketId, type) instead of (ticketId) (see the MariaDB migration). */
export class TicketEventKinds1795684611013 implements MigrationInterface {
    name = 'TicketEventKinds1795684611013'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_1a0f730822e73763a752dfdc55"`);
        await queryRunner.query(`CREATE INDEX "IDX_8848b429a722f54ce2ebe10624" ON "ticket_events" ("ticketId", "type") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_8848b429a722f54ce2ebe10624"`);
        await queryRunner.query(`CREATE INDEX "IDX_1a0f730822e73763a752dfdc55" ON "ticket_events" ("ticketId") `);
    }

}
