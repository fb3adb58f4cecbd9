import { useEffect, useRef, useState } from "preact/hooks";
import type { ScreenPop } from "../../../shared-types/console-payloads.js";
import { Badge, ErrorLine, SlaBadge } from "../components/bits.js";
import { errorMessage } from "../i18n/index.js";
import { useI18n } from "../lib/i18n.js";
import { formatDuration, formatTime, secondsSince, useNow } from "../lib/time.js";
import { isTyping, POP_SHORTCUTS } from "./pop-alert.js";

/** SPEC §4.7: who calls, for whom, under which contract, about what — and how long they have waited. */
export function ScreenPopCard(props: {
  pop: ScreenPop;
  onAccept: (pop: ScreenPop) => Promise<void>;
  onDecline: (pop: ScreenPop) => void;
  /** Hands the card's accept button to the panel (its keyboard shortcut presses it); null when it goes. */
  acceptButton?: (button: HTMLButtonElement | null) => void;
}) {
  const { pop, onAccept } = props;
  const i18n = useI18n();
  const { t, locale } = i18n;
  const now = useNow();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const acceptRef = useRef<HTMLButtonElement>(null);
  const focused = useRef(false);
  const acceptable = pop.stage === "queued";
  // Once the caller can be taken, the accept button gets the focus (Enter accepts), unless the agent is typing.
  useEffect(() => {
    if (!acceptable || focused.current) return;
    focused.current = true;
    if (!isTyping(document.activeElement)) acceptRef.current?.focus();
  }, [acceptable]);
  useEffect(() => {
    props.acceptButton?.(acceptRef.current);
    return () => props.acceptButton?.(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pop.stage]);
  const waiting = secondsSince(pop.queuedAt ?? pop.startedAt, now);
  const product = pop.ticket?.product ?? pop.coveredProducts.find((p) => p.id === pop.choices.productId) ?? null;
  const contactType = pop.ticket?.contactType ?? pop.choices.contactType;
  const priority = pop.ticket?.priority ?? pop.choices.priority;

  const accept = async () => {
    setBusy(true);
    setError(null);
    try {
      await onAccept(pop);
    } catch (failure) {
      setError(errorMessage(i18n, failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article class="card pop" data-testid="screen-pop" data-call-id={pop.callId}>
      <header>
        <strong data-testid="pop-caller">{pop.caller?.name ?? t("pop.unknownCaller")}</strong>
        {pop.language && <Badge kind="language">{pop.language.toUpperCase()}</Badge>}
        {pop.offer === "fallback" && <Badge kind="warning">{t("pop.fallback")}</Badge>}
        <span class="waiting" data-testid="pop-waiting" title={t("pop.since", { time: formatTime(pop.queuedAt ?? pop.startedAt, locale) })}>
          {pop.stage === "voicemail" ? t("pop.voicemail") : t(pop.stage === "queued" ? "pop.waiting" : "pop.inIvr", { duration: formatDuration(waiting) })}
        </span>
      </header>
      <dl>
        {pop.caller && (
          <>
            <dt>{t("pop.role")}</dt>
            <dd>
              {t(`role.${pop.caller.role}`)}
              {pop.caller.campus ? ` · ${pop.caller.campus.name}` : ""}
            </dd>
          </>
        )}
        <dt>{t("pop.customer")}</dt>
        <dd data-testid="pop-customer">{pop.customer ? `${pop.customer.name} (${pop.customer.code})` : "—"}</dd>
        <dt>{t("pop.from")}</dt>
        <dd>{pop.fromNumber}</dd>
        <dt>{t("pop.entitlement")}</dt>
        <dd>
          {pop.entitlement ? (
            <Badge kind={pop.entitlement.entitled ? "ok" : "danger"}>{pop.entitlement.entitled ? t("pop.entitled") : t(`entitlement.${pop.entitlement.reason}`)}</Badge>
          ) : (
            "—"
          )}
        </dd>
        {pop.contracts.length > 0 && (
          <>
            <dt>{t("pop.contracts")}</dt>
            <dd>
              {pop.contracts.map((contract) => (
                <div>
                  {contract.reference} <Badge kind={contract.status === "active" ? "ok" : "danger"}>{t(`contract.${contract.status}`)}</Badge>
                  {contract.slaPolicy ? ` · ${contract.slaPolicy.name}` : ""}
                </div>
              ))}
            </dd>
          </>
        )}
        <dt>{t("pop.products")}</dt>
        <dd>{pop.coveredProducts.map((p) => p.name).join(", ") || "—"}</dd>
        <dt>{t("pop.ticket")}</dt>
        <dd data-testid="pop-ticket">
          {pop.ticket ? `${pop.ticket.number} · ` : ""}
          {contactType ? t(`type.${contactType}`) : t("pop.typeNotChosen")}
          {priority ? ` · ${t(`priority.${priority}`)}` : ""}
          {product ? ` · ${product.name}` : ""}
        </dd>
      </dl>
      {pop.openTickets.length > 0 && (
        <details>
          <summary>{t("pop.openTickets", { count: pop.openTickets.length })}</summary>
          <ul class="plain">
            {pop.openTickets.map((ticket) => (
              <li>
                <a href={`#/tickets/${ticket.id}`}>{ticket.number}</a> {t(`type.${ticket.contactType}`)} · {t(`ticketStatus.${ticket.status}`)} <SlaBadge sla={ticket.sla} /> {ticket.subject}
              </li>
            ))}
          </ul>
        </details>
      )}
      {pop.recentTickets.length > 0 && (
        <details>
          <summary>{t("pop.recentTickets", { count: pop.recentTickets.length })}</summary>
          <ul class="plain">
            {pop.recentTickets.map((ticket) => (
              <li>
                <a href={`#/tickets/${ticket.id}`}>{ticket.number}</a> {t(`type.${ticket.contactType}`)} · {ticket.subject}
              </li>
            ))}
          </ul>
        </details>
      )}
      <ErrorLine message={error} testId="pop-error" />
      {/* Only a queued caller can be connected: the server refuses earlier accepts (409 call_not_queued). */}
      {pop.stage === "menu" && <p class="hint" data-testid="pop-accept-hint">{t("pop.acceptAfterMenu")}</p>}
      <div class="pop-actions">
        {pop.stage !== "voicemail" && (
          <button
            type="button"
            class="primary"
            ref={acceptRef}
            disabled={busy || !acceptable}
            onClick={accept}
            aria-keyshortcuts={POP_SHORTCUTS.accept.label}
            title={t("pop.shortcut", { keys: POP_SHORTCUTS.accept.label })}
            data-testid="pop-accept"
          >
            {t("pop.accept")}
          </button>
        )}
        <button
          type="button"
          onClick={() => props.onDecline(pop)}
          aria-keyshortcuts={POP_SHORTCUTS.decline.label}
          title={t("pop.shortcut", { keys: POP_SHORTCUTS.decline.label })}
          data-testid="pop-decline"
        >
          {t("pop.decline")}
        </button>
      </div>
    </article>
  );
}
