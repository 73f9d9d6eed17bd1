"use client";

import { signOut } from "next-auth/react";
import { type FormEvent, useEffect, useState } from "react";
import { PageHeader } from "@/components/app-shell";
import { Avatar, isImageUrl } from "@/components/avatar";
import { FormError } from "@/components/form-error";
import { Section } from "@/components/person-row";
import { UserName } from "@/components/user-name";
import { useParley } from "@/lib/parley-provider";
import { useAction } from "@/lib/use-action";

/** The fields the form edits; a field the user has not touched is absent from a draft. */
interface ProfileFields {
  displayName: string;
  avatarUrl: string;
}

/** The edited fields that differ from what the server holds, trimmed, for `UpdateProfile`. */
function changesIn(draft: Partial<ProfileFields>, current: ProfileFields): Partial<ProfileFields> {
  const changes: Partial<ProfileFields> = {};
  for (const key of ["displayName", "avatarUrl"] as const) {
    const value = draft[key]?.trim();
    if (value !== undefined && value !== current[key]) changes[key] = value;
  }
  return changes;
}

export function ProfileScreen() {
  const { client, me, setMe, session } = useParley();
  // Untouched fields show the live account (the session cookie may be older than the server,
  // and GetMe refreshes `me`), and Save sends only what the user changed: a stale value is
  // neither shown for long nor written back over a newer one.
  const [draft, setDraft] = useState<Partial<ProfileFields>>({});
  const [email, setEmail] = useState("");
  const [saved, setSaved] = useState(false);
  const action = useAction();

  useEffect(() => {
    client.users
      .getMe({})
      .then(({ account }) => {
        setEmail(account?.email ?? "");
        const user = account?.user;
        if (user)
          setMe((m) => ({ ...m, displayName: user.displayName, avatarUrl: user.avatarUrl }));
      })
      .catch(() => {});
  }, [client, setMe]);

  const displayName = draft.displayName ?? me.displayName;
  const avatarUrl = draft.avatarUrl ?? me.avatarUrl;
  const changes = changesIn(draft, me);
  const changed = Object.keys(changes).length > 0;
  const avatarProblem =
    avatarUrl && !isImageUrl(avatarUrl) ? "The avatar must be an http or https URL" : "";

  function edit(field: keyof ProfileFields, value: string) {
    setDraft((d) => ({ ...d, [field]: value }));
    setSaved(false);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (avatarProblem || !changed) return;
    setSaved(false);
    await action.run(async () => {
      const response = await client.users.updateProfile(changes);
      const user = response.account?.user;
      if (user) setMe((m) => ({ ...m, displayName: user.displayName, avatarUrl: user.avatarUrl }));
      setDraft({});
      setSaved(true);
    });
  }

  async function signOutHere() {
    session.stop();
    await signOut({ callbackUrl: "/signin" });
  }

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <PageHeader title="Profile" />
      <div className="min-h-0 flex-1 overflow-y-auto">
        <div className="mx-auto flex max-w-xl flex-col gap-5 p-4 md:p-6">
          <div className="card flex items-center gap-4 p-5">
            <Avatar
              name={displayName || me.username}
              url={avatarProblem ? "" : avatarUrl}
              seed={me.id}
              size="lg"
            />
            <div className="flex min-w-0 flex-col gap-0.5">
              <UserName displayName={displayName} username={me.username} className="text-lg" />
              <span className="truncate text-sm text-muted">{email}</span>
            </div>
          </div>
          <Section title="Edit profile">
            <form onSubmit={submit} className="flex flex-col gap-4 p-4" data-testid="profile-form">
              <label className="flex flex-col gap-1.5 text-sm font-medium">
                Display name
                <input
                  value={displayName}
                  onChange={(e) => edit("displayName", e.target.value)}
                  required
                  maxLength={64}
                  className="field"
                  data-testid="display-name-input"
                />
              </label>
              <label className="flex flex-col gap-1.5 text-sm font-medium">
                Avatar URL
                <input
                  value={avatarUrl}
                  onChange={(e) => edit("avatarUrl", e.target.value)}
                  type="url"
                  placeholder="https://…"
                  className="field"
                  data-testid="avatar-url-input"
                />
                <span className="text-xs font-normal text-muted">
                  A link to a square picture. Leave empty for initials.
                </span>
              </label>
              <FormError message={avatarProblem || action.error} />
              <div className="flex items-center justify-end gap-3">
                {saved ? (
                  <span role="status" className="text-sm text-emerald-700">
                    Saved
                  </span>
                ) : null}
                <button
                  type="submit"
                  className="btn-primary"
                  disabled={action.busy || !changed || Boolean(avatarProblem)}
                  data-testid="save-profile"
                >
                  Save
                </button>
              </div>
            </form>
          </Section>
          <div className="flex justify-end">
            <button
              type="button"
              className="btn-secondary"
              onClick={signOutHere}
              data-testid="sign-out"
            >
              Sign out
            </button>
          </div>
        </div>
      </div>
    </div>
  );
}
