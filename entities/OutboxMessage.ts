import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/**
 * Written in the same transaction as the change it announces; delivered to the processors (Socket.IO, BullMQ)
 * after commit by the outbox relay (server/events/publisher.ts), which leases rows so that one relay at a time
 * delivers a message, retries what failed with exponential back-off and dead-letters what keeps failing (R10).
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

  /** When every processor had it; null while some processor still has to take it (or it is dead). */
  @Column({ type: "datetime", nullable: true })
  publishedAt: Date | null;

  /** Failed deliveries so far (of any processor); the back-off doubles with each. */
  @Column({ type: "int", default: 0 })
  attempts: number;

  /** The failures of the last attempt, "processor: message; …". */
  @Column({ type: "varchar", length: 500, nullable: true })
  lastError: string | null;

  /** Processors that took the message already: a retry goes only to the others. */
  @Column({ type: "simple-json", nullable: true })
  deliveredTo: string[] | null;

  /** Not retried before this (back-off after a failure); null: never failed. */
  @Column({ type: "datetime", precision: 3, nullable: true })
  nextAttemptAt: Date | null;

  /** Relay that holds the lease (host:pid:random), for the dead-letter view and the logs. */
  @Column({ type: "varchar", length: 100, nullable: true })
  leaseOwner: string | null;

  /** The relay that claimed the row delivers it until then; after that another relay may claim it. */
  @Column({ type: "datetime", precision: 3, nullable: true })
  leasedUntil: Date | null;

  /** Dead letter: given up after too many failed attempts; shown to administrators, who may retry it. */
  @Column({ type: "datetime", nullable: true })
  deadAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;
}
