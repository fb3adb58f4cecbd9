import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/** A software package Care Solutions sells and maintains. */
@Entity("products")
export class Product {
  @PrimaryGeneratedColumn()
  id: number;

  @Index({ unique: true })
  @Column({ type: "varchar", length: 40 })
  code: string;

  @Column({ type: "varchar", length: 200 })
  name: string;

  /** Spoken names per language for the IVR product menu, e.g. {"nl":"Zorgdossier"}. */
  @Column({ type: "simple-json", nullable: true })
  spokenNames: Partial<Record<string, string>> | null;

  @Column({ type: "boolean", default: true })
  active: boolean;
}
