import { Column, Entity, PrimaryColumn } from "typeorm";

/** Last ticket number handed out per year; incremented under a row lock so numbers stay unique. */
@Entity("ticket_sequences")
export class TicketSequence {
  @PrimaryColumn({ type: "int" })
  year: number;

  @Column({ type: "int", default: 0 })
  lastValue: number;
}
