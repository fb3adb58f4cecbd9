import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from "typeorm";
import type { Agent } from "./Agent.js";
import type { Customer } from "./Customer.js";
import type { CallDirection, CallOutcome, Language } from "./enums.js";
import type { ReferencePerson } from "./ReferencePerson.js";
import type { Ticket } from "./Ticket.js";

/** One phone call, keyed by Twilio's CallSid; also holds the IVR state so any instance can serve the next step. */
@Entity("calls")
@Index(["outcome", "queuedAt"])
// The calls not over yet, oldest first (the call status check), without reading the desk's call history.
@Index(["endedAt", "createdAt"])
export class Call {
  @PrimaryGeneratedColumn()
  id: number;

  @Index({ unique: true })
  @Column({ type: "varchar", length: 64 })
  callSid: string;

  @Column({ type: "varchar", length: 10, default: "inbound" })
  direction: CallDirection;

  /** Caller ID as Twilio sent it (may be "anonymous"). */
  @Column({ type: "varchar", length: 40 })
  fromNumber: string;

  /** Caller ID normalised to E.164, null when not a valid number. */
  @Column({ type: "varchar", length: 20, nullable: true })
  fromE164: string | null;

  @Column({ type: "varchar", length: 40 })
  toNumber: string;

  @Column({ type: "varchar", length: 2, nullable: true })
  language: Language | null;

  @Column({ type: "int", nullable: true })
  personId: number | null;

  @ManyToOne("ReferencePerson", { nullable: true, onDelete: "SET NULL" })
  person: Relation<ReferencePerson> | null;

  @Column({ type: "int", nullable: true })
  customerId: number | null;

  @ManyToOne("Customer", { nullable: true, onDelete: "SET NULL" })
  customer: Relation<Customer> | null;

  @Column({ type: "int", nullable: true })
  ticketId: number | null;

  @ManyToOne("Ticket", { nullable: true, onDelete: "SET NULL" })
  ticket: Relation<Ticket> | null;

  /** Current IVR step name (see ivr-flows/). */
  @Column({ type: "varchar", length: 60, default: "start" })
  ivrStep: string;

  /** IVR working state: choices so far, retry counters. */
  @Column({ type: "simple-json", nullable: true })
  ivrState: Record<string, unknown> | null;

  @Index()
  @Column({ type: "varchar", length: 30, default: "in_ivr" })
  outcome: CallOutcome;

  /** Language queue the call waits in. */
  @Column({ type: "varchar", length: 20, nullable: true })
  queueName: string | null;

  @Column({ type: "datetime", nullable: true })
  queuedAt: Date | null;

  /**
   * When an agent last failed to take this caller (their leg not answered, or the dequeue refused): such a caller goes
   * back to the front of the desk's order (server/domain/desk-order.ts), whatever Twilio's queue says.
   */
  @Column({ type: "datetime", nullable: true })
  missedAt: Date | null;

  @Column({ type: "int", nullable: true })
  acceptedByAgentId: number | null;

  @ManyToOne("Agent", { nullable: true, onDelete: "SET NULL" })
  acceptedByAgent: Relation<Agent> | null;

  @Column({ type: "datetime", nullable: true })
  answeredAt: Date | null;

  @Column({ type: "datetime", nullable: true })
  endedAt: Date | null;

  /** Seconds in the queue before answer or hang-up. */
  @Column({ type: "int", nullable: true })
  waitSeconds: number | null;

  /** Total call duration as reported by Twilio. */
  @Column({ type: "int", nullable: true })
  durationSeconds: number | null;

  @Column({ type: "varchar", length: 500, nullable: true })
  recordingUrl: string | null;

  @Index()
  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
