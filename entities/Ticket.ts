import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from "typeorm";
import type { Agent } from "./Agent.js";
import type { Call } from "./Call.js";
import type { Campus } from "./Campus.js";
import type { Customer } from "./Customer.js";
import type { ContactType, Language, OutOfScopeCategory, Priority, ScopeVerdict, TicketStatus } from "./enums.js";
import type { Product } from "./Product.js";
import type { ReferencePerson } from "./ReferencePerson.js";

/** A servicedesk ticket: one contact of one type (R1), with its entitlement (R4), scope (R5) and SLA (R9). */
@Entity("tickets")
// A customer's newest and last-changed tickets (every screen-pop shows them): read in order, not sorted. The first
// also serves the customer's foreign key. No index on status alone, nor on (customerId, status): the one below and
// these two serve every query by status or by customer, and each index more is written on every ticket saved and
// held in the database's memory (a million tickets: ~30 MB each).
@Index(["customerId", "createdAt"])
@Index(["customerId", "updatedAt"])
@Index(["status", "resolutionDueAt"])
export class Ticket {
  @PrimaryGeneratedColumn()
  id: number;

  /** Human number such as 2026-000123, read back to the caller. */
  @Index({ unique: true })
  @Column({ type: "varchar", length: 20 })
  number: string;

  @Column({ type: "varchar", length: 20 })
  contactType: ContactType;

  @Column({ type: "varchar", length: 20, default: "normal" })
  priority: Priority;

  @Column({ type: "varchar", length: 30, default: "new" })
  status: TicketStatus;

  @Column({ type: "int", nullable: true })
  customerId: number | null;

  @ManyToOne("Customer", { nullable: true, onDelete: "SET NULL" })
  customer: Relation<Customer> | null;

  @Column({ type: "int", nullable: true })
  campusId: number | null;

  @ManyToOne("Campus", { nullable: true, onDelete: "SET NULL" })
  campus: Relation<Campus> | null;

  @Index()
  @Column({ type: "int", nullable: true })
  reporterId: number | null;

  @ManyToOne("ReferencePerson", { nullable: true, onDelete: "SET NULL" })
  reporter: Relation<ReferencePerson> | null;

  @Column({ type: "int", nullable: true })
  productId: number | null;

  @ManyToOne("Product", { nullable: true, onDelete: "SET NULL" })
  product: Relation<Product> | null;

  @Column({ type: "varchar", length: 2, default: "nl" })
  language: Language;

  @Column({ type: "varchar", length: 200, default: "" })
  subject: string;

  @Column({ type: "text", nullable: true })
  description: string | null;

  /** R4 verdict at creation: paid, valid contract covering the product. */
  @Column({ type: "boolean", default: false })
  entitled: boolean;

  /** Why not entitled (no_contract, unpaid, expired, product_not_covered, unknown_caller). */
  @Column({ type: "varchar", length: 40, nullable: true })
  entitlementReason: string | null;

  @Column({ type: "varchar", length: 20, default: "undetermined" })
  scope: ScopeVerdict;

  @Column({ type: "varchar", length: 40, nullable: true })
  scopeCategory: OutOfScopeCategory | null;

  /** R5: what the desk found, for hardware-like categories. */
  @Column({ type: "text", nullable: true })
  scopeDiagnosis: string | null;

  /** R5: the advice given to the customer. */
  @Column({ type: "text", nullable: true })
  scopeAdvice: string | null;

  @Column({ type: "datetime", nullable: true })
  supplierNotifiedAt: Date | null;

  @Column({ type: "int", nullable: true })
  slaPolicyId: number | null;

  @Column({ type: "datetime", nullable: true })
  firstResponseDueAt: Date | null;

  @Column({ type: "datetime", nullable: true })
  resolutionDueAt: Date | null;

  @Column({ type: "datetime", nullable: true })
  firstRespondedAt: Date | null;

  /** Set while a cost consent is pending: the SLA clocks wait (R6). */
  @Column({ type: "datetime", nullable: true })
  slaPausedAt: Date | null;

  @Column({ type: "datetime", nullable: true })
  resolvedAt: Date | null;

  @Column({ type: "datetime", nullable: true })
  closedAt: Date | null;

  @Index()
  @Column({ type: "int", nullable: true })
  assigneeId: number | null;

  @ManyToOne("Agent", { nullable: true, onDelete: "SET NULL" })
  assignee: Relation<Agent> | null;

  @Column({ type: "int", nullable: true })
  sourceCallId: number | null;

  @ManyToOne("Call", { nullable: true, onDelete: "SET NULL" })
  sourceCall: Relation<Call> | null;

  @Index()
  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
