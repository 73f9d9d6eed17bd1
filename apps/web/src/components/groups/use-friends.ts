"use client";

import { toUserView, type UserView } from "@parley/client";
import { useEffect, useState } from "react";
import { useParley } from "@/lib/parley-provider";

/** The signed-in user's friends, for picking group members; undefined while loading. */
export function useFriends(): UserView[] | undefined {
  const { client } = useParley();
  const [friends, setFriends] = useState<UserView[]>();
  useEffect(() => {
    client.relations
      .listFriends({})
      .then((r) =>
        setFriends(
          r.friends.map((f) => toUserView(f.user)).filter((u): u is UserView => Boolean(u)),
        ),
      )
      .catch(() => setFriends([]));
  }, [client]);
  return friends;
}
