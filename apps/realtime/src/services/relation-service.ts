import type { ServiceImpl } from "@connectrpc/connect";
import type { RelationService } from "@parley/proto";
import { principalOf } from "../auth/context.ts";
import { blockUser, listBlocked, unblockUser } from "../relations/blocklist.ts";
import {
  acceptFriendRequest,
  listFriendRequests,
  sendFriendRequest,
  settleRequest,
} from "../relations/friend-requests.ts";
import { listFriendsOf, removeFriend } from "../relations/friends.ts";
import type { Runtime } from "../runtime.ts";

/** Friends, friend requests and the blocklist; the rules live in ../relations. */
export function relationService(rt: Runtime): ServiceImpl<typeof RelationService> {
  const me = (ctx: Parameters<typeof principalOf>[0]) => principalOf(ctx).userId;
  return {
    sendFriendRequest: (req, ctx) => sendFriendRequest(rt, me(ctx), req.toUserId, req.note),
    acceptFriendRequest: (req, ctx) => acceptFriendRequest(rt, me(ctx), req.requestId),
    declineFriendRequest: (req, ctx) => settleRequest(rt, me(ctx), req.requestId, "declined"),
    cancelFriendRequest: (req, ctx) => settleRequest(rt, me(ctx), req.requestId, "cancelled"),
    listFriendRequests: (req, ctx) => listFriendRequests(rt, me(ctx), req.direction),
    listFriends: (_req, ctx) => listFriendsOf(rt, me(ctx)),
    removeFriend: (req, ctx) => removeFriend(rt, me(ctx), req.userId),
    blockUser: (req, ctx) => blockUser(rt, me(ctx), req.userId),
    unblockUser: (req, ctx) => unblockUser(rt, me(ctx), req.userId),
    listBlocked: (_req, ctx) => listBlocked(rt, me(ctx)),
  };
}
