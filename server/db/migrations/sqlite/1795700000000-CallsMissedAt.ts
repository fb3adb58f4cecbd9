import { MigrationInterface, QueryRunner } from "typeorm";

/** calls.missedAt (see the MariaDB migration). */
export class CallsMissedAt1795700000000 implements MigrationInterface {
    name = 'CallsMissedAt1795700000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "calls" ADD COLUMN "missedAt" datetime`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "calls" DROP COLUMN "missedAt"`);
    }
}
