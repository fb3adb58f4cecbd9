import { MigrationInterface, QueryRunner } from "typeorm";

/** A customer's newest and last-changed tickets, read in index order by every screen-pop (hand-trimmed: TypeORM's MariaDB diff also lists every nullable column). */
export class TicketCustomerRecency1795631838633 implements MigrationInterface {
    name = 'TicketCustomerRecency1795631838633'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX \`IDX_e3d3d0010b7b93bb32b6279862\` ON \`tickets\` (\`customerId\`, \`updatedAt\`)`);
        await queryRunner.query(`CREATE INDEX \`IDX_f3e2833dee0d3b82e44f3d0c02\` ON \`tickets\` (\`customerId\`, \`createdAt\`)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`IDX_f3e2833dee0d3b82e44f3d0c02\` ON \`tickets\``);
        await queryRunner.query(`DROP INDEX \`IDX_e3d3d0010b7b93bb32b6279862\` ON \`tickets\``);
    }
}
