import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Drops the tickets' indexes on (status) and (customerId, status): (status, resolutionDueAt) and (customerId, createdAt)
 * serve what they did, and every index is written on each ticket saved (hand-trimmed: TypeORM's MariaDB diff also
 * lists every nullable column).
 */
export class TicketRedundantIndexes1795676179658 implements MigrationInterface {
    name = 'TicketRedundantIndexes1795676179658'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`IDX_12b901b34113688b4786368510\` ON \`tickets\``);
        await queryRunner.query(`DROP INDEX \`IDX_de6882383b85b5893c09b4e335\` ON \`tickets\``);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX \`IDX_de6882383b85b5893c09b4e335\` ON \`tickets\` (\`customerId\`, \`status\`)`);
        await queryRunner.query(`CREATE INDEX \`IDX_12b901b34113688b4786368510\` ON \`tickets\` (\`status\`)`);
    }
}
