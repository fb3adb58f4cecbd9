import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import type { Agent } from "./Agent.js";
import type { CostConsent } from "./CostConsent.js";
import type { Ticket } from "./Ticket.js";

/** Work charged to the customer; only allowed under a given consent (R6). */
@Entity("billable_entries")
export class BillableEntry {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column({ type: "int" })
  ticketId: number;

  @ManyToOne("Ticket", { onDelete: "CASCADE" })
  ticket: Relation<Ticket>;

  @Column({ type: "int" })
  consentId: number;

  @ManyToOne("CostConsent", { onDelete: "RESTRICT" })
  consent: Relation<CostConsent>;

  @Column({ type: "int", nullable: true })
  agentId: number | null;

  @ManyToOne("Agent", { nullable: true, onDelete: "SET NULL" })
  agent: Relation<Agent> | null;

  @Column({ type: "int" })
  minutes: number;

  @Column({ type: "varchar", length: 500 })
  description: string;

  @Column({ type: "int", nullable: true })
  amountCents: number | null;

  @CreateDateColumn()
  createdAt: Date;
}
