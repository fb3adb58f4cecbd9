import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import type { Agent } from "./Agent.js";
import type { ConsentMethod, ConsentStatus } from "./enums.js";
import type { ReferencePerson } from "./ReferencePerson.js";
import type { Ticket } from "./Ticket.js";

/** R6: a reference person's recorded agreement to billable work, with the estimate they were told. */
@Entity("cost_consents")
export class CostConsent {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column({ type: "int" })
  ticketId: number;

  @ManyToOne("Ticket", { onDelete: "CASCADE" })
  ticket: Relation<Ticket>;

  @Index()
  @Column({ type: "varchar", length: 20, default: "pending" })
  status: ConsentStatus;

  /** What the customer was told the work would cost. */
  @Column({ type: "varchar", length: 500 })
  estimateText: string;

  @Column({ type: "int", nullable: true })
  estimateAmountCents: number | null;

  @Column({ type: "int", nullable: true })
  requestedByAgentId: number | null;

  @ManyToOne("Agent", { nullable: true, onDelete: "SET NULL" })
  requestedByAgent: Relation<Agent> | null;

  /** The reference person of the ticket's customer who decided. */
  @Column({ type: "int", nullable: true })
  decidedByPersonId: number | null;

  @ManyToOne("ReferencePerson", { nullable: true, onDelete: "SET NULL" })
  decidedByPerson: Relation<ReferencePerson> | null;

  @Column({ type: "varchar", length: 20, nullable: true })
  method: ConsentMethod | null;

  @Column({ type: "datetime", nullable: true })
  decidedAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;
}
