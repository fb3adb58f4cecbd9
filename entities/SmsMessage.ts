import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/** Every SMS the desk sent (or, in simulation, would have sent); the idempotency key makes a retried job send once. */
@Entity("sms_messages")
export class SmsMessage {
  @PrimaryGeneratedColumn()
  id: number;

  @Index({ unique: true })
  @Column({ type: "varchar", length: 120 })
  idempotencyKey: string;

  @Column({ type: "varchar", length: 20 })
  toNumber: string;

  @Column({ type: "varchar", length: 20 })
  fromNumber: string;

  @Column({ type: "text" })
  body: string;

  /** Twilio Message SID, or SM-sim-… in simulation. */
  @Column({ type: "varchar", length: 64, nullable: true })
  providerSid: string | null;

  @Column({ type: "varchar", length: 20, default: "queued" })
  status: string;

  @CreateDateColumn()
  createdAt: Date;
}
