import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import type { ReferencePerson } from "./ReferencePerson.js";

/** A registered number of a reference person, in E.164; one number may be shared by several persons (R2). */
@Entity("phone_numbers")
@Index(["personId", "e164"], { unique: true })
export class PhoneNumber {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "int" })
  personId: number;

  @ManyToOne("ReferencePerson", "phoneNumbers", { onDelete: "CASCADE" })
  person: Relation<ReferencePerson>;

  /** Caller-ID look-up key on the hot path of every incoming call. */
  @Index()
  @Column({ type: "varchar", length: 20 })
  e164: string;

  @Column({ type: "varchar", length: 40, nullable: true })
  label: string | null;
}
