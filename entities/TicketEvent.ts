import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import type { ActorType } from "./enums.js";
import type { Ticket } from "./Ticket.js";

/** Append-only audit trail of a ticket: who did what, when (R10). */
@Entity("ticket_events")
export class TicketEvent {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
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
