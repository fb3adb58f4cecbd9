import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/** Who changed which administrative record, and how (admin API, imports, privacy erasure). */
@Entity("audit_entries")
@Index(["entityType", "entityId"])
export class AuditEntry {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "int", nullable: true })
  actorAgentId: number | null;

  @Column({ type: "varchar", length: 60 })
  entityType: string;

  @Column({ type: "varchar", length: 60, nullable: true })
  entityId: string | null;

  /** create, update, delete, import, erase, pin_reset … */
  @Column({ type: "varchar", length: 40 })
  action: string;

  @Column({ type: "simple-json", nullable: true })
  changes: Record<string, unknown> | null;

  @CreateDateColumn()
  createdAt: Date;
}
