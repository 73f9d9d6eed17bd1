"use client";

import type { UserView } from "@parley/client";
import { Avatar } from "@/components/avatar";

/** Checkboxes for choosing friends to add to a group. */
export function FriendPicker({
  friends,
  selected,
  onChange,
  exclude = [],
  legend = "Members",
  emptyText = "No friends to add. Groups start from your friends.",
}: {
  friends: UserView[];
  selected: string[];
  onChange: (ids: string[]) => void;
  exclude?: string[];
  legend?: string;
  emptyText?: string;
}) {
  const choices = friends.filter((f) => !exclude.includes(f.id));
  if (choices.length === 0) {
    return <p className="text-sm text-muted">{emptyText}</p>;
  }
  const toggle = (id: string) =>
    onChange(selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id]);
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="mb-1.5 text-sm font-medium">{legend}</legend>
      <div className="grid max-h-64 gap-1 overflow-y-auto sm:grid-cols-2">
        {choices.map((friend) => (
          <label
            key={friend.id}
            className="flex cursor-pointer items-center gap-2.5 rounded-lg px-2 py-1.5 hover:bg-canvas has-[:checked]:bg-accent-50"
          >
            <input
              type="checkbox"
              className="size-4 accent-accent-600"
              checked={selected.includes(friend.id)}
              onChange={() => toggle(friend.id)}
            />
            <Avatar name={friend.displayName} url={friend.avatarUrl} seed={friend.id} size="sm" />
            <span className="flex min-w-0 items-baseline gap-1.5 text-sm">
              <bdi className="truncate">{friend.displayName}</bdi>
              <span className="text-xs text-muted">@{friend.username}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
