import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The screen-pop's "open" and "recently closed" lists filter on the status from the index instead of reading each row
 * (hand-trimmed: TypeORM's MariaDB diff also lists every nullable column and recreates unrelated indexes).
 */
export class TicketCustomerRecencyStatus1795641937441 implements MigrationInterface {
    name = 'TicketCustomerRecencyStatus1795641937441'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX \`IDX_f7071e923cf4b4d7791aef329b\` ON \`tickets\` (\`customerId\`, \`updatedAt\`, \`id\`, \`status\`)`);
        await queryRunner.query(`CREATE INDEX \`IDX_aa0125ec7d2d19314087febcc4\` ON \`tickets\` (\`customerId\`, \`createdAt\`, \`id\`, \`status\`)`);
        await queryRunner.query(`DROP INDEX \`IDX_e3d3d0010b7b93bb32b6279862\` ON \`tickets\``);
        await queryRunner.query(`DROP INDEX \`IDX_f3e2833dee0d3b82e44f3d0c02\` ON \`tickets\``);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX \`IDX_f3e2833dee0d3b82e44f3d0c02\` ON \`tickets\` (\`customerId\`, \`createdAt\`)`);
        await queryRunner.query(`CREATE INDEX \`IDX_e3d3d0010b7b93bb32b6279862\` ON \`tickets\` (\`customerId\`, \`updatedAt\`)`);
        await queryRunner.query(`DROP INDEX \`IDX_aa0125ec7d2d19314087febcc4\` ON \`tickets\``);
        await queryRunner.query(`DROP INDEX \`IDX_f7071e923cf4b4d7791aef329b\` ON \`tickets\``);
    }
}
