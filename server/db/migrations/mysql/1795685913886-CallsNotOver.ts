import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Calls indexed by (endedAt, createdAt): the call status check finds the calls not over yet, oldest first, without
 * reading the desk's call history (hand-trimmed: TypeORM's MariaDB diff also lists every nullable column).
 */
export class CallsNotOver1795685913886 implements MigrationInterface {
    name = 'CallsNotOver1795685913886'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX \`IDX_f8072ae1ba52dd3afe359ab263\` ON \`calls\` (\`endedAt\`, \`createdAt\`)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`IDX_f8072ae1ba52dd3afe359ab263\` ON \`calls\``);
    }
}
