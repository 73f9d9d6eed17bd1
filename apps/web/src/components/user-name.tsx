/**
 * A display name with the @username beside it. The name is isolated (`<bdi>`), so
 * right-to-left or invisible characters in it cannot reorder the text around it.
 */
export function UserName({
  displayName,
  username,
  className = "",
}: {
  displayName: string;
  username: string;
  className?: string;
}) {
  return (
    <span className={`inline-flex min-w-0 items-baseline gap-1.5 ${className}`}>
      <bdi className="truncate font-medium">{displayName || username}</bdi>
      {username ? <span className="shrink-0 text-xs text-muted">@{username}</span> : null}
    </span>
  );
}
