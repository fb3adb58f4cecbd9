import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import type { AgentRole, AgentStatus, Language, UiLanguage } from "./enums.js";

/** A desk account: agent, supervisor or administrator. */
@Entity("agents")
export class Agent {
  @PrimaryGeneratedColumn()
  id: number;

  @Index({ unique: true })
  @Column({ type: "varchar", length: 200 })
  email: string;

  @Column({ type: "varchar", length: 200 })
  name: string;

  /** scrypt hash "salt:hash" (hex). */
  @Column({ type: "varchar", length: 300 })
  passwordHash: string;

  @Column({ type: "varchar", length: 20, default: "agent" })
  role: AgentRole;

  /** Languages the agent speaks; calls in these languages are offered to them first (R8). */
  @Column({ type: "simple-json" })
  languages: Language[];

  @Index()
  @Column({ type: "varchar", length: 20, default: "offline" })
  status: AgentStatus;

  @Column({ type: "datetime", nullable: true })
  statusChangedAt: Date | null;

  @Column({ type: "varchar", length: 2, default: "nl" })
  uiLanguage: UiLanguage;

  /** Number to dial when bridging a call to a phone instead of the browser client. */
  @Column({ type: "varchar", length: 20, nullable: true })
  phoneNumber: string | null;

  @Column({ type: "boolean", default: true })
  active: boolean;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
