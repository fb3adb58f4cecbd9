import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from "typeorm";
import type { Agent } from "./Agent.js";
import type { RemoteSessionStatus } from "./enums.js";
import type { ReferencePerson } from "./ReferencePerson.js";
import type { Ticket } from "./Ticket.js";

/** R7: a remote-support session booked with a reference person. */
@Entity("remote_sessions")
@Index(["status", "scheduledAt"])
export class RemoteSession {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column({ type: "int" })
  ticketId: number;

  @ManyToOne("Ticket", { onDelete: "CASCADE" })
  ticket: Relation<Ticket>;

  @Column({ type: "int" })
  personId: number;

  @ManyToOne("ReferencePerson", { onDelete: "CASCADE" })
  person: Relation<ReferencePerson>;

  @Column({ type: "int" })
  agentId: number;

  @ManyToOne("Agent", { onDelete: "CASCADE" })
  agent: Relation<Agent>;

  @Column({ type: "datetime" })
  scheduledAt: Date;

  @Column({ type: "int", default: 30 })
  durationMinutes: number;

  @Column({ type: "varchar", length: 20, default: "scheduled" })
  status: RemoteSessionStatus;

  /** Bumped on every reschedule so jobs of an older time know they are stale. */
  @Column({ type: "int", default: 1 })
  revision: number;

  @Column({ type: "text", nullable: true })
  notes: string | null;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
