import { Column, CreateDateColumn, Entity, Index, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from "typeorm";
import type { Campus } from "./Campus.js";
import type { Contract } from "./Contract.js";
import type { ReferencePerson } from "./ReferencePerson.js";

/** A care organisation that buys Care Solutions software. */
@Entity("customers")
export class Customer {
  @PrimaryGeneratedColumn()
  id: number;

  @Index({ unique: true })
  @Column({ type: "varchar", length: 40 })
  code: string;

  @Index()
  @Column({ type: "varchar", length: 200 })
  name: string;

  /** Hardware/infrastructure supplier the desk may notify (R5). */
  @Column({ type: "varchar", length: 200, nullable: true })
  supplierName: string | null;

  @Column({ type: "varchar", length: 200, nullable: true })
  supplierEmail: string | null;

  @OneToMany("Campus", "customer")
  campuses: Relation<Campus[]>;

  @OneToMany("Contract", "customer")
  contracts: Relation<Contract[]>;

  @OneToMany("ReferencePerson", "customer")
  referencePersons: Relation<ReferencePerson[]>;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
