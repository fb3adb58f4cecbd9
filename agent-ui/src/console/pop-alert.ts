import { useEffect, useRef, useState } from "preact/hooks";
import type { ScreenPop } from "../../../shared-types/console-payloads.js";
import type { I18n } from "../lib/i18n.js";
import ringUrl from "./sounds/ring.wav";

/** Where the console remembers, per browser, that the agent turned the pop sound off. */
export const POP_SOUND_KEY = "sd:popSound";

/** Shortcuts of the pops panel, matched on `KeyboardEvent.code` so they work on any keyboard layout. */
export const POP_SHORTCUTS = { accept: { code: "KeyA", label: "Alt+Shift+A" }, decline: { code: "KeyD", label: "Alt+Shift+D" } } as const;

/** Whether a key press is the given pops-panel shortcut (Alt+Shift+letter, never with Ctrl or Meta). */
export function isPopShortcut(event: KeyboardEvent, which: keyof typeof POP_SHORTCUTS): boolean {
  return event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey && event.code === POP_SHORTCUTS[which].code;
}

/** True while the agent is typing somewhere: focus must not be pulled away from them. */
export function isTyping(element: Element | null): boolean {
  if (!element) return false;
  if (element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) return true;
  if (element instanceof HTMLInputElement) return !["button", "submit", "reset", "checkbox", "radio"].includes(element.type);
  return element instanceof HTMLElement && element.isContentEditable;
}

/** The pop sound setting, remembered in this browser (on unless the agent turned it off). */
export function usePopSound(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => localStorage.getItem(POP_SOUND_KEY) !== "off");
  return [
    on,
    (next) => {
      localStorage.setItem(POP_SOUND_KEY, next ? "on" : "off");
      setOn(next);
    },
  ];
}

type Permission = NotificationPermission | "unsupported";

/** The desktop notification permission, and the one request for it (made from a button, never on load). */
export function useNotificationPermission(): [Permission, () => Promise<void>] {
  const [permission, setPermission] = useState<Permission>(() => (typeof Notification === "undefined" ? "unsupported" : Notification.permission));
  const ask = async () => {
    if (typeof Notification === "undefined") return;
    setPermission(await Notification.requestPermission());
  };
  return [permission, ask];
}

/** The sentence that announces a pop (screen reader, notification body). */
export function popSentence(i18n: I18n, pop: ScreenPop): string {
  const caller = pop.caller?.name ?? i18n.t("pop.unknownCaller");
  return pop.customer ? i18n.t("pop.alert.fromCustomer", { caller, customer: pop.customer.name }) : i18n.t("pop.alert.from", { caller });
}

/**
 * Alerts the agent to each pop the first time it is shown: a short chime (unless turned off), a desktop notification
 * (once permitted), and the sentence returned for an aria-live region. While any pop waits, the tab title flashes.
 */
export function usePopAlert(pops: ScreenPop[], i18n: I18n, sound: boolean): string {
  const seen = useRef(new Set<number>());
  const [announcement, setAnnouncement] = useState("");
  const audio = useRef<HTMLAudioElement | null>(null);

  useEffect(() => {
    const fresh = pops.filter((pop) => !seen.current.has(pop.callId));
    for (const pop of fresh) seen.current.add(pop.callId);
    if (fresh.length === 0) return;
    const sentences = fresh.map((pop) => popSentence(i18n, pop));
    setAnnouncement(sentences.join(" "));
    if (sound) {
      audio.current ??= new Audio(ringUrl);
      audio.current.currentTime = 0;
      // A browser that blocks sound before the first click rejects play(): the other alerts still reach the agent.
      audio.current.play().catch(() => undefined);
    }
    if (typeof Notification !== "undefined" && Notification.permission === "granted") {
      for (const [index, pop] of fresh.entries()) {
        // tag: one notification per call, replaced rather than stacked; silent: the chime above is the sound.
        try {
          const notification = new Notification(i18n.t("pop.alert.title"), { body: sentences[index], tag: `call-${pop.callId}`, silent: true });
          notification.onclick = () => {
            window.focus();
            notification.close();
          };
        } catch {
          // Some browsers allow notifications only from a service worker: the pop, chime and title still alert.
        }
      }
    }
  }, [pops, i18n, sound]);

  // Forget closed pops, so the set does not grow all day.
  useEffect(() => {
    const shown = new Set(pops.map((pop) => pop.callId));
    for (const callId of seen.current) if (!shown.has(callId)) seen.current.delete(callId);
  }, [pops]);

  const waiting = pops.filter((pop) => pop.stage !== "voicemail").length;
  useEffect(() => {
    if (waiting === 0) return;
    const base = document.title;
    const flash = i18n.t("pop.alert.tabTitle", { count: waiting });
    let on = false;
    const flip = () => {
      on = !on;
      document.title = on ? flash : base;
    };
    flip();
    const timer = setInterval(flip, 1000);
    return () => {
      clearInterval(timer);
      document.title = base;
    };
  }, [waiting, i18n]);

  return announcement;
}
