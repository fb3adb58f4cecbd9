import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import type { Call } from "./Call.js";

/** Append-only log of what happened on a call (R10); the unique key makes retried webhooks record once. */
@Entity("call_events")
@Index(["callId", "dedupeKey"], { unique: true })
export class CallEvent {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "int" })
  callId: number;

  @ManyToOne("Call", { onDelete: "CASCADE" })
  call: Relation<Call>;

  @Column({ type: "varchar", length: 60 })
  type: string;

  /** Identifies the webhook delivery (step + input) so a retry is not recorded twice. */
  @Column({ type: "varchar", length: 120 })
  dedupeKey: string;

  @Column({ type: "simple-json", nullable: true })
  data: Record<string, unknown> | null;

  @CreateDateColumn()
  createdAt: Date;
}
