import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import type { Priority } from "./enums.js";

export interface SlaTarget {
  /** Minutes to the first response by an agent. */
  firstResponseMinutes: number;
  /** Minutes to resolution. */
  resolutionMinutes: number;
}

/** R9: response and resolution targets per priority, in business hours unless 24/7. */
@Entity("sla_policies")
export class SlaPolicy {
  @PrimaryGeneratedColumn()
  id: number;

  @Index({ unique: true })
  @Column({ type: "varchar", length: 100 })
  name: string;

  /** True: the clock runs around the clock; false: only in business hours, holidays excluded. */
  @Column({ type: "boolean", default: false })
  twentyFourSeven: boolean;

  @Column({ type: "simple-json" })
  targets: Record<Priority, SlaTarget>;
}
