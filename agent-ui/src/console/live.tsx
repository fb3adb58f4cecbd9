import { createContext } from "preact";
import { useCallback, useContext, useEffect, useMemo, useReducer, useRef } from "preact/hooks";
import type { AgentPayload, CallPayload, ScreenPop, SupervisorMetrics } from "../../../shared-types/console-payloads.js";
import type { CallbackOffer, NoticePayload, ScreenPopClose } from "../../../shared-types/socket-events.js";
import { UNAUTHORIZED_EVENT } from "../lib/api.js";
import { openSocket, reconnectDelay, type ConsoleSocket } from "../lib/socket.js";

/** What the console knows from the socket: pops, the current call, notices, supervisor figures. */
export interface LiveState {
  connected: boolean;
  pops: ScreenPop[];
  /** Calls this agent declined: their pops stay hidden here (the call stays on offer to the others). */
  declined: number[];
  /** Pops that just closed, kept a few seconds to say why (taken by someone, caller hung up). */
  closed: (ScreenPopClose & { at: number })[];
  currentCall: { call: CallPayload; ticketId: number | null; ended: boolean } | null;
  notices: NoticePayload[];
  alerts: NoticePayload[];
  metrics: SupervisorMetrics | null;
  callbacks: CallbackOffer[];
  /** Last ticket change, so an open ticket view reloads. */
  ticketChange: { ticketId: number; serial: number } | null;
}

type Action =
  | { type: "connected"; connected: boolean }
  | { type: "pop"; pop: ScreenPop }
  | { type: "close"; close: ScreenPopClose; mine: boolean }
  | { type: "decline"; callId: number }
  | { type: "expire"; before: number }
  | { type: "current"; call: CallPayload; ticketId: number | null }
  | { type: "ended"; call: CallPayload }
  | { type: "clearCurrent" }
  | { type: "notice"; notice: NoticePayload }
  | { type: "alert"; alert: NoticePayload }
  | { type: "dismiss"; id: number }
  | { type: "metrics"; metrics: SupervisorMetrics }
  | { type: "callback"; offer: CallbackOffer }
  | { type: "callbackClosed"; callbackId: number }
  /** The server's list of offers for this agent, then the offers and closes that arrived while it was on its way. */
  | { type: "callbacksSynced"; offers: CallbackOffer[]; meanwhile: CallbackAction[] }
  | { type: "ticketChanged"; ticketId: number };
type CallbackAction = Extract<Action, { type: "callback" | "callbackClosed" }>;

const byQueuedAt = (a: CallbackOffer, b: CallbackOffer) => Date.parse(a.queuedAt) - Date.parse(b.queuedAt);

const initial: LiveState = { connected: false, pops: [], declined: [], closed: [], currentCall: null, notices: [], alerts: [], metrics: null, callbacks: [], ticketChange: null };

function reduce(state: LiveState, action: Action): LiveState {
  switch (action.type) {
    case "connected":
      return { ...state, connected: action.connected };
    case "pop": {
      if (state.declined.includes(action.pop.callId)) return state;
      const others = state.pops.filter((pop) => pop.callId !== action.pop.callId);
      // The desk's order (server/domain/desk-order.ts): callers an agent missed first, then by when they joined the queue.
      const pops = [...others, action.pop].sort((a, b) => Number(b.missedAt !== null) - Number(a.missedAt !== null) || Date.parse(a.queuedAt ?? a.startedAt) - Date.parse(b.queuedAt ?? b.startedAt));
      return { ...state, pops, closed: state.closed.filter((c) => c.callId !== action.pop.callId) };
    }
    case "close": {
      const shown = state.pops.some((pop) => pop.callId === action.close.callId);
      const pops = state.pops.filter((pop) => pop.callId !== action.close.callId);
      const explain = shown && !action.mine && action.close.reason !== "withdrawn";
      return { ...state, pops, closed: explain ? [...state.closed, { ...action.close, at: Date.now() }] : state.closed };
    }
    case "decline":
      return { ...state, pops: state.pops.filter((pop) => pop.callId !== action.callId), declined: [...state.declined, action.callId].slice(-50) };
    case "expire":
      return { ...state, closed: state.closed.filter((c) => c.at >= action.before) };
    case "current":
      return { ...state, currentCall: { call: action.call, ticketId: action.ticketId, ended: false }, pops: state.pops.filter((p) => p.callId !== action.call.id) };
    case "ended":
      return state.currentCall?.call.id === action.call.id ? { ...state, currentCall: { ...state.currentCall, call: action.call, ended: true } } : state;
    case "clearCurrent":
      return { ...state, currentCall: null };
    case "notice":
      return state.notices.some((n) => n.id === action.notice.id) ? state : { ...state, notices: [action.notice, ...state.notices].slice(0, 20) };
    case "alert":
      return state.alerts.some((n) => n.id === action.alert.id) ? state : { ...state, alerts: [action.alert, ...state.alerts].slice(0, 50) };
    case "dismiss":
      return { ...state, notices: state.notices.filter((n) => n.id !== action.id), alerts: state.alerts.filter((n) => n.id !== action.id) };
    case "metrics":
      return { ...state, metrics: action.metrics };
    case "callback":
      return { ...state, callbacks: [...state.callbacks.filter((c) => c.id !== action.offer.id), action.offer].sort(byQueuedAt) };
    case "callbackClosed":
      return { ...state, callbacks: state.callbacks.filter((c) => c.id !== action.callbackId) };
    case "callbacksSynced":
      return action.meanwhile.reduce(reduce, { ...state, callbacks: [...action.offers].sort(byQueuedAt) });
    case "ticketChanged":
      return { ...state, ticketChange: { ticketId: action.ticketId, serial: (state.ticketChange?.serial ?? 0) + 1 } };
  }
}

export interface Live {
  state: LiveState;
  dispatch: (action: Action) => void;
  socket: ConsoleSocket | null;
  /** Asks for `ticket:changed` of these tickets while shown; returns the function that stops watching them. */
  watchTickets: (ticketIds: number[]) => () => void;
}

/** Provides the live state to the shell's pages. */
export const LiveContext = createContext<Live>({ state: initial, dispatch: () => undefined, socket: null, watchTickets: () => () => undefined });

/** Watches the given tickets while the calling component shows them (changes arrive as `state.ticketChange`). */
export function useWatchedTickets(ticketIds: number[]): void {
  const { watchTickets } = useLive();
  const key = [...new Set(ticketIds)].sort((a, b) => a - b).join(",");
  useEffect(() => (key ? watchTickets(key.split(",").map(Number)) : undefined), [key, watchTickets]);
}

/** The live state of the console (inside the shell). */
export function useLive(): Live {
  return useContext(LiveContext);
}

/** Opens the socket for the logged-in agent and folds its events into the live state. */
export function useLiveConnection(me: AgentPayload, onAgentStatus: (agent: AgentPayload) => void): Live {
  const [state, dispatch] = useReducer(reduce, initial);
  const socket = useMemo(() => openSocket(), [me.id]);
  // Tickets shown somewhere on the page, counted per component showing them; sent again after a reconnect.
  const watched = useRef(new Map<number, number>());
  const watchTickets = useCallback(
    (ticketIds: number[]) => {
      const fresh = ticketIds.filter((id) => (watched.current.get(id) ?? 0) === 0);
      for (const id of ticketIds) watched.current.set(id, (watched.current.get(id) ?? 0) + 1);
      if (fresh.length > 0 && socket.connected) socket.emit("ticket:watch", fresh);
      return () => {
        const gone = ticketIds.filter((id) => {
          const count = (watched.current.get(id) ?? 1) - 1;
          if (count <= 0) watched.current.delete(id);
          else watched.current.set(id, count);
          return count <= 0;
        });
        if (gone.length > 0 && socket.connected) socket.emit("ticket:unwatch", gone);
      };
    },
    [socket],
  );

  // The pops shown now, for the check below (the socket's listeners are set up once).
  const shownPops = useRef(state.pops);
  shownPops.current = state.pops;

  // Callback events that arrive while a callback:sync is on its way, one list per sync in flight.
  const callbackSyncs = useRef(new Set<CallbackAction[]>());

  useEffect(() => {
    // Closes sent while this console was disconnected, or while its server lost Redis, never arrived: ask which of
    // the pops it shows are gone for good, and close them as the lost message would have.
    const recheckPops = () => {
      const shown = shownPops.current.map((pop) => pop.callId);
      if (shown.length === 0) return;
      socket.emit("screenpop:check", shown, (answer) => {
        if ("gone" in answer) for (const close of answer.gone) dispatch({ type: "close", close, mine: close.acceptedBy?.id === me.id });
      });
    };
    // Callback offers are pushed only as they happen: take the whole list after a (re)connect or a lost stretch. An offer
    // or close arriving meanwhile may be newer than the list, so it is applied again over it.
    const syncCallbacks = () => {
      const meanwhile: CallbackAction[] = [];
      callbackSyncs.current.add(meanwhile);
      socket.timeout(10_000).emit("callback:sync", (error, answer) => {
        callbackSyncs.current.delete(meanwhile);
        // No answer or a failed read: keep what is shown; the next connect or status change tries again.
        if (!error && "offers" in answer) dispatch({ type: "callbacksSynced", offers: answer.offers, meanwhile });
      });
    };
    const callbackEvent = (action: CallbackAction) => {
      for (const meanwhile of callbackSyncs.current) meanwhile.push(action);
      dispatch(action);
    };
    /** What pushes may have been lost is taken again: after a (re)connect, or when the server lost Redis for a while. */
    const catchUp = () => {
      recheckPops();
      syncCallbacks();
    };
    // A server that closed the socket (shutting down for a restart), or refused a handshake for a passing reason (its
    // session check failed while its database was away), is not retried by socket.io-client, unlike a lost transport:
    // the console retries it here, with the same back-off.
    // https://socket.io/docs/v4/client-socket-instance/#connect_error
    let failedReconnects = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const retryLater = () => {
      clearTimeout(retry);
      retry = setTimeout(() => socket.connect(), reconnectDelay(failedReconnects++));
    };
    socket.on("connect", () => {
      failedReconnects = 0;
      dispatch({ type: "connected", connected: true });
      if (watched.current.size > 0) socket.emit("ticket:watch", [...watched.current.keys()]);
      catchUp();
    });
    socket.on("console:recheck", catchUp);
    socket.on("disconnect", (reason) => {
      dispatch({ type: "connected", connected: false });
      // A server shutting down (restart, deploy) closes its sockets itself: socket.io-client then waits for a manual
      // connect() ("io server disconnect"), unlike a lost transport, which its manager retries.
      // https://socket.io/docs/v4/client-socket-instance/#disconnect
      if (reason === "io server disconnect") retryLater();
    });
    socket.on("connect_error", (error) => {
      // The handshake refused the session (expired, logged out elsewhere): back to the login page.
      if ((error as Error & { data?: { id?: string } }).data?.id === "unauthorized") {
        window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
        return;
      }
      // socket.active: the manager is already reconnecting (transport lost); otherwise nobody will.
      if (!socket.active) retryLater();
    });
    socket.on("screenpop:show", (pop) => dispatch({ type: "pop", pop }));
    socket.on("screenpop:close", (close) => dispatch({ type: "close", close, mine: close.acceptedBy?.id === me.id }));
    socket.on("call:assigned", ({ call, ticketId }) => dispatch({ type: "current", call, ticketId }));
    socket.on("call:ended", (call) => dispatch({ type: "ended", call }));
    socket.on("agent:status", (agent) => {
      if (agent.id !== me.id) return;
      onAgentStatus(agent);
      // Callbacks are on offer to available agents only: the list follows the agent's own status both ways.
      syncCallbacks();
    });
    socket.on("agent:notice", (notice) => dispatch({ type: "notice", notice }));
    socket.on("supervisor:alert", (alert) => dispatch({ type: "alert", alert }));
    socket.on("supervisor:metrics", (metrics) => dispatch({ type: "metrics", metrics }));
    socket.on("ticket:changed", ({ ticketId }) => dispatch({ type: "ticketChanged", ticketId }));
    socket.on("callback:offer", (offer) => callbackEvent({ type: "callback", offer }));
    socket.on("callback:closed", ({ callbackId }) => callbackEvent({ type: "callbackClosed", callbackId }));
    const expiry = setInterval(() => dispatch({ type: "expire", before: Date.now() - 6000 }), 1000);
    socket.connect();
    return () => {
      clearInterval(expiry);
      clearTimeout(retry);
      socket.removeAllListeners();
      socket.close();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [socket]);

  return { state, dispatch, socket, watchTickets };
}
