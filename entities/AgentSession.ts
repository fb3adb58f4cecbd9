import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import type { Agent } from "./Agent.js";

/** A logged-in browser; the cookie holds a random token, the table only its SHA-256. */
@Entity("agent_sessions")
export class AgentSession {
  @PrimaryGeneratedColumn()
  id: number;

  @Index({ unique: true })
  @Column({ type: "varchar", length: 64 })
  tokenHash: string;

  @Index()
  @Column({ type: "int" })
  agentId: number;

  @ManyToOne("Agent", { onDelete: "CASCADE" })
  agent: Relation<Agent>;

  @Column({ type: "datetime" })
  expiresAt: Date;

  @CreateDateColumn()
  createdAt: Date;
}
