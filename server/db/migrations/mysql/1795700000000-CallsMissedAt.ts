import { MigrationInterface, QueryRunner } from "typeorm";

/** calls.missedAt: when an agent last failed to take the caller, who then goes to the front of the desk's order. */
export class CallsMissedAt1795700000000 implements MigrationInterface {
    name = 'CallsMissedAt1795700000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`calls\` ADD \`missedAt\` datetime NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`calls\` DROP COLUMN \`missedAt\``);
    }
}
