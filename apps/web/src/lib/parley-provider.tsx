"use client";

import { createConnectTransport } from "@connectrpc/connect-web";
import {
  ChatSession,
  type ChatState,
  createParleyClient,
  type ParleyClient,
  pickRealtimeUrl,
} from "@parley/client";
import { UserRole } from "@parley/proto";
import { signOut } from "next-auth/react";
import {
  createContext,
  type Dispatch,
  type ReactNode,
  type SetStateAction,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
} from "react";
import { SessionTokenSource } from "./token-source";
import { UserDirectory } from "./user-directory";

export interface Me {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string;
  admin: boolean;
}

interface ParleyContextValue {
  me: Me;
  client: ParleyClient;
  session: ChatSession;
  users: UserDirectory;
  /** The realtime instance this tab talks to. */
  realtimeUrl: string;
  /** Updates the signed-in user after a profile change. */
  setMe: Dispatch<SetStateAction<Me>>;
}

const ParleyContext = createContext<ParleyContextValue | null>(null);

interface ParleyProviderProps {
  me: Me;
  accessToken: string;
  accessTokenExpiresAt: number;
  /** Every realtime instance the browser may use, from the server's environment. */
  realtimeUrls: readonly string[];
  children: ReactNode;
}

/**
 * One client and one live session per tab, for every page of the signed-in app: moving
 * between pages keeps the stream open, so each tab has exactly one. The user's realtime
 * instance is chosen by a hash of their id (see `pickRealtimeUrl`), so users spread over the
 * instances and a user's tabs share one.
 */
export function ParleyProvider(props: ParleyProviderProps) {
  const { accessToken, accessTokenExpiresAt, children } = props;
  const [me, setMe] = useState(props.me);
  const [value] = useState(() => {
    const realtimeUrl = pickRealtimeUrl(props.me.id, props.realtimeUrls);
    const client = createParleyClient({
      transport: createConnectTransport({ baseUrl: realtimeUrl, useBinaryFormat: true }),
      tokens: new SessionTokenSource({ accessToken, accessTokenExpiresAt }),
    });
    const session = new ChatSession({ client, selfUserId: props.me.id });
    // A profile looked up now is newer than the sync frame's: direct conversations show it.
    const users = new UserDirectory(client, (fresh) => session.updatePeers(fresh));
    return { client, session, realtimeUrl, users };
  });

  useEffect(() => {
    value.session.start();
    return () => value.session.stop();
  }, [value]);

  // The browser knows first when the network goes and comes back.
  useEffect(() => {
    const online = () => value.session.setNetworkAvailable(true);
    const offline = () => value.session.setNetworkAvailable(false);
    window.addEventListener("online", online);
    window.addEventListener("offline", offline);
    return () => {
      window.removeEventListener("online", online);
      window.removeEventListener("offline", offline);
    };
  }, [value]);

  // The session cookie may hold an older profile than the server (changed on another device).
  useEffect(() => {
    value.client.users
      .getMe({})
      .then(({ account }) => {
        const user = account?.user;
        // The role too: the admin link follows a promotion or demotion without a new sign-in.
        const admin = account?.role === UserRole.ADMIN;
        if (user)
          setMe((m) => ({ ...m, displayName: user.displayName, avatarUrl: user.avatarUrl, admin }));
      })
      .catch(() => {});
  }, [value]);

  const status = useSyncExternalStore(
    value.session.subscribe,
    () => value.session.getSnapshot().status,
    () => "idle" as const,
  );
  useEffect(() => {
    if (status === "signedOut" || status === "banned") {
      void signOut({ callbackUrl: status === "banned" ? "/signin?error=banned" : "/signin" });
    }
  }, [status]);

  const context = useMemo(() => ({ ...value, me, setMe }), [value, me]);
  return <ParleyContext.Provider value={context}>{children}</ParleyContext.Provider>;
}

export function useParley(): ParleyContextValue {
  const value = useContext(ParleyContext);
  if (!value) throw new Error("useParley must be used inside <ParleyProvider>");
  return value;
}

/** The live chat state, re-rendering when it changes. */
export function useChatState(): ChatState {
  const { session } = useParley();
  return useSyncExternalStore(session.subscribe, session.getSnapshot, session.getSnapshot);
}

/** A selected slice of the chat state; `select` must return stable references to avoid loops. */
export function useChatSelector<T>(select: (state: ChatState) => T): T {
  const { session } = useParley();
  return useSyncExternalStore(
    session.subscribe,
    () => select(session.getSnapshot()),
    () => select(session.getSnapshot()),
  );
}

/** Users by id, looking up the ones not known yet. */
export function useUsers(ids: readonly string[]) {
  const { users } = useParley();
  const known = useSyncExternalStore(users.subscribe, users.getSnapshot, users.getSnapshot);
  const key = ids.join(",");
  // biome-ignore lint/correctness/useExhaustiveDependencies: the joined key stands for ids
  useEffect(() => users.ensure(ids), [users, key]);
  return known;
}

/** Re-renders every `intervalMs`, for relative times and expiring typing indicators. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
