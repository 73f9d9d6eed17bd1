"use client";

import { create } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { type AdminUser, AdminUserSchema } from "@parley/proto";
import { type FormEvent, useState } from "react";
import { FormError } from "@/components/form-error";
import { useParley } from "@/lib/parley-provider";
import { useAction } from "@/lib/use-action";

type Kind = "ban" | "unban" | "signOut";

const LABELS: Record<Kind, { open: string; confirm: string; placeholder: string }> = {
  ban: { open: "Ban", confirm: "Ban user", placeholder: "Why (shown in the audit log)" },
  unban: { open: "Unban", confirm: "Lift ban", placeholder: "Why the ban is lifted" },
  signOut: { open: "Sign out", confirm: "Sign out everywhere", placeholder: "Why" },
};

/** Ban, unban and force sign-out, each asking for the reason the audit log keeps. */
export function UserActions({
  user,
  onChange,
}: {
  user: AdminUser;
  onChange: (user: AdminUser) => void;
}) {
  const { client, me } = useParley();
  const [open, setOpen] = useState<Kind | undefined>();
  const [reason, setReason] = useState("");
  const action = useAction();
  const userId = user.user?.id ?? "";
  if (userId === me.id) return null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!open) return;
    const kind = open;
    const ok = await action.run(async () => {
      if (kind === "ban") await client.admin.banUser({ userId, reason });
      if (kind === "unban") await client.admin.unbanUser({ userId, reason });
      if (kind === "signOut") await client.admin.forceSignOut({ userId, reason });
    });
    if (!ok) return;
    setOpen(undefined);
    setReason("");
    if (kind === "ban") {
      onChange(
        create(AdminUserSchema, {
          ...user,
          online: false,
          bannedAt: timestampNow(),
          banReason: reason,
        }),
      );
    } else if (kind === "unban") {
      onChange(create(AdminUserSchema, { ...user, bannedAt: undefined, banReason: "" }));
    } else {
      onChange(create(AdminUserSchema, { ...user, online: false }));
    }
  }

  const kinds: Kind[] = user.bannedAt ? ["unban"] : ["signOut", "ban"];
  return (
    <span className="flex flex-col items-end gap-2">
      <span className="flex gap-2">
        {kinds.map((kind) => (
          <button
            key={kind}
            type="button"
            data-testid={`admin-${kind}`}
            className={kind === "ban" ? "btn-danger px-3 py-1.5" : "btn-secondary px-3 py-1.5"}
            aria-expanded={open === kind}
            onClick={() => setOpen(open === kind ? undefined : kind)}
          >
            {LABELS[kind].open}
          </button>
        ))}
      </span>
      {open ? (
        <form onSubmit={submit} className="flex w-72 max-w-full flex-col gap-2">
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            maxLength={500}
            placeholder={LABELS[open].placeholder}
            aria-label="Reason"
            className="field"
            data-testid="admin-reason"
          />
          <FormError message={action.error} />
          <button
            type="submit"
            disabled={action.busy || !reason.trim()}
            className={
              open === "ban" ? "btn bg-red-600 text-white hover:bg-red-700" : "btn-primary"
            }
            data-testid="admin-confirm"
          >
            {LABELS[open].confirm}
          </button>
        </form>
      ) : null}
    </span>
  );
}
