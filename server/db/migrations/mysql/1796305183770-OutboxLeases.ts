import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The outbox relay's lease, back-off, per-processor progress and dead letter (hand-trimmed: TypeORM's MariaDB diff
 * also lists every nullable column).
 */
export class OutboxLeases1796305183770 implements MigrationInterface {
    name = 'OutboxLeases1796305183770'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`outbox_messages\` ADD \`deliveredTo\` text NULL`);
        await queryRunner.query(`ALTER TABLE \`outbox_messages\` ADD \`nextAttemptAt\` datetime(3) NULL`);
        await queryRunner.query(`ALTER TABLE \`outbox_messages\` ADD \`leaseOwner\` varchar(100) NULL`);
        await queryRunner.query(`ALTER TABLE \`outbox_messages\` ADD \`leasedUntil\` datetime(3) NULL`);
        await queryRunner.query(`ALTER TABLE \`outbox_messages\` ADD \`deadAt\` datetime NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`outbox_messages\` DROP COLUMN \`deadAt\``);
        await queryRunner.query(`ALTER TABLE \`outbox_messages\` DROP COLUMN \`leasedUntil\``);
        await queryRunner.query(`ALTER TABLE \`outbox_messages\` DROP COLUMN \`leaseOwner\``);
        await queryRunner.query(`ALTER TABLE \`outbox_messages\` DROP COLUMN \`nextAttemptAt\``);
        await queryRunner.query(`ALTER TABLE \`outbox_messages\` DROP COLUMN \`deliveredTo\``);
    }
}
