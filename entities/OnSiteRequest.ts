import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import type { Agent } from "./Agent.js";
import type { OnSiteStatus } from "./enums.js";
import type { Ticket } from "./Ticket.js";

/** R7: an exceptional on-site intervention, approved or refused by a supervisor with a written reason. */
@Entity("on_site_requests")
export class OnSiteRequest {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column({ type: "int" })
  ticketId: number;

  @ManyToOne("Ticket", { onDelete: "CASCADE" })
  ticket: Relation<Ticket>;

  @Column({ type: "int" })
  requestedByAgentId: number;

  @ManyToOne("Agent", { onDelete: "CASCADE" })
  requestedByAgent: Relation<Agent>;

  @Column({ type: "text" })
  reason: string;

  @Index()
  @Column({ type: "varchar", length: 20, default: "pending" })
  status: OnSiteStatus;

  @Column({ type: "int", nullable: true })
  decidedByAgentId: number | null;

  @ManyToOne("Agent", { nullable: true, onDelete: "SET NULL" })
  decidedByAgent: Relation<Agent> | null;

  @Column({ type: "text", nullable: true })
  decisionReason: string | null;

  @Column({ type: "datetime", nullable: true })
  decidedAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;
}
