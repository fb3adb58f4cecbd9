import { useEffect, useState } from "preact/hooks";
import { CONTACT_TYPES, PRIORITIES } from "../../../entities/enums.js";
import type { TicketDetail } from "../../../shared-types/console-payloads.js";
import { ErrorLine } from "../components/bits.js";
import { apiFetch } from "../lib/api.js";
import { useI18n } from "../lib/i18n.js";
import { useSubmit } from "./use-submit.js";

/** Type (R1), priority, product, status along its lifecycle, subject, description, and a note. */
export function TicketEditForm({ ticket, onSaved }: { ticket: TicketDetail; onSaved: (ticket: TicketDetail) => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState(() => fromTicket(ticket));
  const [note, setNote] = useState("");
  const { busy, error, run } = useSubmit();
  const [saved, setSaved] = useState(false);
  useEffect(() => setForm(fromTicket(ticket)), [ticket.id, ticket.updatedAt]);

  const products = ticket.product && !ticket.coveredProducts.some((p) => p.id === ticket.product!.id) ? [ticket.product, ...ticket.coveredProducts] : ticket.coveredProducts;
  const statuses = [ticket.status, ...ticket.allowedStatuses];

  const save = (event: Event) => {
    event.preventDefault();
    setSaved(false);
    const changes: Record<string, unknown> = {};
    if (form.contactType !== ticket.contactType) changes.contactType = form.contactType;
    if (form.priority !== ticket.priority) changes.priority = form.priority;
    if (form.status !== ticket.status) changes.status = form.status;
    if (form.subject !== ticket.subject) changes.subject = form.subject;
    if (form.description !== (ticket.description ?? "")) changes.description = form.description || null;
    const productId = form.productId === "" ? null : Number(form.productId);
    if (productId !== (ticket.product?.id ?? null)) changes.productId = productId;
    if (note.trim()) changes.note = note;
    void run(async () => {
      const body = await apiFetch<{ ticket: TicketDetail }>(`/api/tickets/${ticket.id}`, { method: "PATCH", body: changes });
      setNote("");
      setSaved(true);
      onSaved(body.ticket);
    });
  };

  return (
    <form class="card panel" onSubmit={save} data-testid="ticket-edit">
      <h2>{t("edit.title")}</h2>
      <div class="grid">
        <label>
          {t("ticket.type")}
          <select name="contactType" value={form.contactType} onChange={(e) => setForm({ ...form, contactType: e.currentTarget.value })}>
            {CONTACT_TYPES.map((type) => (
              <option value={type}>{t(`type.${type}`)}</option>
            ))}
          </select>
        </label>
        <label>
          {t("ticket.priority")}
          <select name="priority" value={form.priority} onChange={(e) => setForm({ ...form, priority: e.currentTarget.value })}>
            {PRIORITIES.map((priority) => (
              <option value={priority}>{t(`priority.${priority}`)}</option>
            ))}
          </select>
        </label>
        <label>
          {t("ticket.product")}
          <select name="productId" value={form.productId} onChange={(e) => setForm({ ...form, productId: e.currentTarget.value })}>
            <option value="">—</option>
            {products.map((product) => (
              <option value={String(product.id)}>{product.name}</option>
            ))}
          </select>
        </label>
        <label>
          {t("ticket.status")}
          <select name="status" value={form.status} onChange={(e) => setForm({ ...form, status: e.currentTarget.value })}>
            {statuses.map((status) => (
              <option value={status}>{t(`ticketStatus.${status}`)}</option>
            ))}
          </select>
        </label>
      </div>
      <label>
        {t("ticket.subject")}
        <input name="subject" maxLength={200} value={form.subject} onInput={(e) => setForm({ ...form, subject: e.currentTarget.value })} />
      </label>
      <label>
        {t("ticket.description")}
        <textarea name="description" rows={3} value={form.description} onInput={(e) => setForm({ ...form, description: e.currentTarget.value })} />
      </label>
      <label>
        {t("edit.note")}
        <textarea name="note" rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} data-testid="ticket-note" />
      </label>
      <ErrorLine message={error} testId="ticket-edit-error" />
      {saved && !error && (
        <p class="ok" role="status" data-testid="ticket-saved">
          {t("common.saved")}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy} data-testid="ticket-save">
        {t("common.save")}
      </button>
    </form>
  );
}

function fromTicket(ticket: TicketDetail) {
  return {
    contactType: ticket.contactType as string,
    priority: ticket.priority as string,
    status: ticket.status as string,
    productId: ticket.product ? String(ticket.product.id) : "",
    subject: ticket.subject,
    description: ticket.description ?? "",
  };
}
