import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from "typeorm";
import type { Agent } from "./Agent.js";
import type { Call } from "./Call.js";
import type { CallbackStatus, Language } from "./enums.js";
import type { Ticket } from "./Ticket.js";

/** A caller's request to be called back, keeping their place in the queue (SPEC §4.6). */
@Entity("callback_requests")
@Index(["status", "queuedAt"])
export class CallbackRequest {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "int", nullable: true })
  callId: number | null;

  @ManyToOne("Call", { nullable: true, onDelete: "SET NULL" })
  call: Relation<Call> | null;

  @Column({ type: "int", nullable: true })
  ticketId: number | null;

  @ManyToOne("Ticket", { nullable: true, onDelete: "SET NULL" })
  ticket: Relation<Ticket> | null;

  /** E.164 number to call back. */
  @Column({ type: "varchar", length: 20 })
  phoneNumber: string;

  @Column({ type: "varchar", length: 2 })
  language: Language;

  /** When the caller joined the queue: callbacks keep that place. */
  @Column({ type: "datetime" })
  queuedAt: Date;

  @Column({ type: "varchar", length: 20, default: "pending" })
  status: CallbackStatus;

  @Column({ type: "int", default: 0 })
  attempts: number;

  @Column({ type: "int", nullable: true })
  agentId: number | null;

  @ManyToOne("Agent", { nullable: true, onDelete: "SET NULL" })
  agent: Relation<Agent> | null;

  @Column({ type: "varchar", length: 64, nullable: true })
  outboundCallSid: string | null;

  @Column({ type: "varchar", length: 200, nullable: true })
  lastError: string | null;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
