import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import type { Customer } from "./Customer.js";

/** One site of a customer; every campus needs a campus reference person (R3). */
@Entity("campuses")
@Index(["customerId", "name"], { unique: true })
export class Campus {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "int" })
  customerId: number;

  @ManyToOne("Customer", "campuses", { onDelete: "CASCADE" })
  customer: Relation<Customer>;

  @Column({ type: "varchar", length: 200 })
  name: string;

  @Column({ type: "varchar", length: 120, nullable: true })
  city: string | null;

  @CreateDateColumn()
  createdAt: Date;
}
