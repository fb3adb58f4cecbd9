import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/**
 * Written in the same transaction as the change it announces; published to Socket.IO and BullMQ
 * after commit, and again by the outbox drainer if Redis was down (R10).
 */
@Entity("outbox_messages")
@Index(["publishedAt", "id"])
export class OutboxMessage {
  @PrimaryGeneratedColumn()
  id: number;

  /** Event name, e.g. ticket.created, call.identified. */
  @Column({ type: "varchar", length: 80 })
  topic: string;

  @Column({ type: "simple-json" })
  payload: Record<string, unknown>;

  @Column({ type: "datetime", nullable: true })
  publishedAt: Date | null;

  @Column({ type: "int", default: 0 })
  attempts: number;

  @Column({ type: "varchar", length: 500, nullable: true })
  lastError: string | null;

  @CreateDateColumn()
  createdAt: Date;
}
