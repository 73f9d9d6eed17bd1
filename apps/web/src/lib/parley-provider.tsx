"use client";

import { createConnectTransport } from "@connectrpc/connect-web";
import { ChatSession, type ChatState, createParleyClient, type ParleyClient } from "@parley/client";
import { signOut } from "next-auth/react";
import {
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useState,
  useSyncExternalStore,
} from "react";
import { realtimeUrl } from "./public-config";
import { SessionTokenSource } from "./token-source";

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
}

const ParleyContext = createContext<ParleyContextValue | null>(null);

interface ParleyProviderProps {
  me: Me;
  accessToken: string;
  accessTokenExpiresAt: number;
  children: ReactNode;
}

/**
 * One client and one live session per tab, for every page of the signed-in app: moving
 * between pages keeps the stream open, so each tab has exactly one.
 */
export function ParleyProvider({
  me,
  accessToken,
  accessTokenExpiresAt,
  children,
}: ParleyProviderProps) {
  const [value] = useState<ParleyContextValue>(() => {
    const client = createParleyClient({
      transport: createConnectTransport({ baseUrl: realtimeUrl, useBinaryFormat: true }),
      tokens: new SessionTokenSource({ accessToken, accessTokenExpiresAt }),
    });
    return { me, client, session: new ChatSession({ client, selfUserId: me.id }) };
  });

  useEffect(() => {
    value.session.start();
    return () => value.session.stop();
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

  return <ParleyContext.Provider value={{ ...value, me }}>{children}</ParleyContext.Provider>;
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
