import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import type { ActorType } from "./enums.js";
import type { Ticket } from "./Ticket.js";

/**
 * Append-only audit trail of a ticket: who did what, when (R10). Indexed by ticket and type: the jobs look up one
 * kind of event of a ticket (a reminder sent, a notice given), and the scans those of every open ticket, without
 * reading the rest of a long history.
 */
@Entity("ticket_events")
@Index(["ticketId", "type"])
export class TicketEvent {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "int" })
  ticketId: number;

  @ManyToOne("Ticket", { onDelete: "CASCADE" })
  ticket: Relation<Ticket>;

  /** e.g. created, status_changed, consent_recorded, sla_breached. */
  @Column({ type: "varchar", length: 60 })
  type: string;

  @Column({ type: "varchar", length: 10 })
  actorType: ActorType;

  /** Agent id or reference person id, by actorType. */
  @Column({ type: "int", nullable: true })
  actorId: number | null;

  @Column({ type: "simple-json", nullable: true })
  data: Record<string, unknown> | null;

  @CreateDateColumn()
  createdAt: Date;
}
