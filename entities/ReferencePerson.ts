import { Column, CreateDateColumn, Entity, Index, ManyToOne, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from "typeorm";
import type { Campus } from "./Campus.js";
import type { Customer } from "./Customer.js";
import type { Language, ReferenceRole } from "./enums.js";
import type { PhoneNumber } from "./PhoneNumber.js";

/** A person the customer designated as a contact for support; the only people the desk serves. */
@Entity("reference_persons")
@Index(["customerId", "role"])
export class ReferencePerson {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "int" })
  customerId: number;

  @ManyToOne("Customer", "referencePersons", { onDelete: "CASCADE" })
  customer: Relation<Customer>;

  /** Set for the campus role; optional otherwise (where the person works). */
  @Column({ type: "int", nullable: true })
  campusId: number | null;

  @ManyToOne("Campus", { nullable: true, onDelete: "SET NULL" })
  campus: Relation<Campus> | null;

  @Column({ type: "varchar", length: 20 })
  role: ReferenceRole;

  @Column({ type: "varchar", length: 100 })
  firstName: string;

  @Column({ type: "varchar", length: 100 })
  lastName: string;

  @Column({ type: "varchar", length: 200, nullable: true })
  email: string | null;

  /** Language the IVR speaks to this person (R8), changeable in the menu. */
  @Column({ type: "varchar", length: 2, default: "nl" })
  language: Language;

  /** Keyed hash (HMAC-SHA256 with PIN_SECRET) of the personal PIN: unique, so a PIN alone identifies its person. */
  @Index({ unique: true })
  @Column({ type: "varchar", length: 64, nullable: true })
  pinHash: string | null;

  @Column({ type: "boolean", default: true })
  active: boolean;

  /** Set when the person's data was erased on request (privacy); tickets keep an anonymised reference. */
  @Column({ type: "datetime", nullable: true })
  erasedAt: Date | null;

  @OneToMany("PhoneNumber", "person", { cascade: true })
  phoneNumbers: Relation<PhoneNumber[]>;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
