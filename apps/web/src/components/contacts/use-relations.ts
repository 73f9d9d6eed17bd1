"use client";

import { toUserView, type UserView } from "@parley/client";
import type { Friend, FriendRequest } from "@parley/proto";
import { RequestDirection } from "@parley/proto";
import { useCallback, useEffect, useState } from "react";
import { errorMessage } from "@/lib/errors";
import { useChatSelector, useParley } from "@/lib/parley-provider";

export interface Relations {
  friends: Friend[];
  incoming: FriendRequest[];
  outgoing: FriendRequest[];
  blocked: UserView[];
}

const EMPTY: Relations = { friends: [], incoming: [], outgoing: [], blocked: [] };

/** Friends, requests and the blocklist, reloaded whenever the stream reports a change. */
export function useRelations() {
  const { client, users } = useParley();
  const version = useChatSelector((s) => s.relationsVersion);
  const [relations, setRelations] = useState<Relations>(EMPTY);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState("");

  const reload = useCallback(async () => {
    try {
      const [friends, incoming, outgoing, blocked] = await Promise.all([
        client.relations.listFriends({}),
        client.relations.listFriendRequests({ direction: RequestDirection.INCOMING }),
        client.relations.listFriendRequests({ direction: RequestDirection.OUTGOING }),
        client.relations.listBlocked({}),
      ]);
      setRelations({
        friends: friends.friends,
        incoming: incoming.requests,
        outgoing: outgoing.requests,
        blocked: blocked.users.map((u) => toUserView(u)).filter((u): u is UserView => Boolean(u)),
      });
      users.remember(friends.friends.map((f) => toUserView(f.user)));
      setError("");
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoaded(true);
    }
  }, [client, users]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload on every relations event
  useEffect(() => {
    void reload();
  }, [reload, version]);

  return { relations, loaded, error, reload };
}
