import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { FriendRequestRow, FriendRow } from "@parley/db";
import {
  type Friend,
  type FriendRequest,
  FriendRequestSchema,
  FriendRequestStatus,
  FriendSchema,
  type Presence,
} from "@parley/proto";
import { toUser } from "../messages/convert.ts";

const STATUSES = {
  pending: FriendRequestStatus.PENDING,
  accepted: FriendRequestStatus.ACCEPTED,
  declined: FriendRequestStatus.DECLINED,
  cancelled: FriendRequestStatus.CANCELLED,
};

/** A request as clients see it; `status` overrides the row's when the caller just changed it. */
export function toFriendRequest(
  row: FriendRequestRow,
  status: keyof typeof STATUSES = row.status,
): FriendRequest {
  return create(FriendRequestSchema, {
    id: row.id,
    from: toUser(row.from),
    to: toUser(row.to),
    note: row.note ?? "",
    status: STATUSES[status],
    createdAt: timestampFromDate(row.createdAt),
  });
}

export function toFriend(row: FriendRow, presence?: Presence): Friend {
  return create(FriendSchema, {
    user: toUser(row.user),
    presence,
    conversationId: row.conversationId,
    since: timestampFromDate(row.since),
  });
}
