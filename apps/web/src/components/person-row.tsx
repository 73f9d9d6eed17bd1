import type { ReactNode } from "react";
import { Avatar, PresenceDot } from "./avatar";
import { UserName } from "./user-name";

/**
 * A user in a list: avatar, name with @username, an optional note, and actions on the right
 * (below, on a phone).
 */
export function PersonRow({
  user,
  online,
  note,
  children,
  testId,
}: {
  user: { id: string; username: string; displayName: string; avatarUrl: string };
  online?: boolean;
  note?: ReactNode;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <li
      data-testid={testId}
      data-user-id={user.id}
      className="flex flex-wrap items-center gap-x-3 gap-y-2 px-4 py-3"
    >
      <span className="relative">
        <Avatar name={user.displayName || user.username} url={user.avatarUrl} seed={user.id} />
        <PresenceDot online={online} />
      </span>
      {/* Room for a name: when the actions would squeeze it, they move to the next line. */}
      <span className="flex min-w-40 flex-1 flex-col">
        <UserName displayName={user.displayName} username={user.username} />
        {note ? <span className="truncate text-xs text-muted">{note}</span> : null}
      </span>
      {children ? (
        // On a phone the actions get a line of their own under the name, which stays readable.
        <span className="ml-auto flex w-full flex-wrap justify-end gap-2 sm:w-auto sm:shrink-0">
          {children}
        </span>
      ) : null}
    </li>
  );
}

export function Section({
  title,
  count,
  children,
}: {
  title: string;
  count?: number;
  children: ReactNode;
}) {
  return (
    <section className="card overflow-hidden">
      <h2 className="flex items-center gap-2 border-b border-line px-4 py-3 text-sm font-semibold">
        {title}
        {count ? (
          <span className="rounded-full bg-accent-50 px-2 text-xs text-accent-700">{count}</span>
        ) : null}
      </h2>
      {children}
    </section>
  );
}

export function EmptyRow({ children }: { children: ReactNode }) {
  return <li className="px-4 py-6 text-center text-sm text-muted">{children}</li>;
}
