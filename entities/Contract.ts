import { Column, CreateDateColumn, Entity, Index, JoinTable, ManyToMany, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from "typeorm";
import type { Customer } from "./Customer.js";
import type { Product } from "./Product.js";
import type { SlaPolicy } from "./SlaPolicy.js";

/** A maintenance contract: entitles the customer's reference persons to support for covered products (R4). */
@Entity("contracts")
export class Contract {
  @PrimaryGeneratedColumn()
  id: number;

  @Index({ unique: true })
  @Column({ type: "varchar", length: 60 })
  reference: string;

  @Index()
  @Column({ type: "int" })
  customerId: number;

  @ManyToOne("Customer", "contracts", { onDelete: "CASCADE" })
  customer: Relation<Customer>;

  /** First valid day, YYYY-MM-DD (Europe/Brussels calendar). */
  @Column({ type: "date" })
  validFrom: string;

  /** Last valid day, inclusive, YYYY-MM-DD. */
  @Column({ type: "date" })
  validTo: string;

  /** Maintenance fee paid for the current period. */
  @Column({ type: "boolean", default: false })
  paid: boolean;

  @Column({ type: "int" })
  slaPolicyId: number;

  @ManyToOne("SlaPolicy", { onDelete: "RESTRICT" })
  slaPolicy: Relation<SlaPolicy>;

  @ManyToMany("Product")
  @JoinTable({ name: "contract_products", joinColumn: { name: "contractId" }, inverseJoinColumn: { name: "productId" } })
  products: Relation<Product[]>;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
