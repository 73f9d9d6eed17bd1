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

export function ProfileScreen() {
  const { client, me, setMe, session } = useParley();
  const [displayName, setDisplayName] = useState(me.displayName);
  const [avatarUrl, setAvatarUrl] = useState(me.avatarUrl);
  const [email, setEmail] = useState("");
  const [saved, setSaved] = useState(false);
  const action = useAction();

  useEffect(() => {
    client.users
      .getMe({})
      .then((r) => setEmail(r.account?.email ?? ""))
      .catch(() => {});
  }, [client]);

  const avatarProblem =
    avatarUrl && !isImageUrl(avatarUrl) ? "The avatar must be an http or https URL" : "";

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (avatarProblem) return;
    setSaved(false);
    await action.run(async () => {
      const response = await client.users.updateProfile({
        displayName: displayName.trim(),
        avatarUrl: avatarUrl.trim(),
      });
      const user = response.account?.user;
      if (user) setMe({ ...me, displayName: user.displayName, avatarUrl: user.avatarUrl });
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
                  onChange={(e) => setDisplayName(e.target.value)}
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
                  onChange={(e) => setAvatarUrl(e.target.value)}
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
                  disabled={action.busy || Boolean(avatarProblem)}
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
