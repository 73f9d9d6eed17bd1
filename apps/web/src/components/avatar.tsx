/** A round avatar: the picture when the URL is http(s), otherwise initials on a tint. */

const TINTS = [
  "bg-sky-100 text-sky-800",
  "bg-emerald-100 text-emerald-800",
  "bg-amber-100 text-amber-800",
  "bg-rose-100 text-rose-800",
  "bg-violet-100 text-violet-800",
  "bg-teal-100 text-teal-800",
  "bg-indigo-100 text-indigo-800",
];

function tintFor(seed: string): string {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return TINTS[hash % TINTS.length] ?? TINTS[0] ?? "";
}

/** The first letters of the first two words that start with a letter or digit (no emoji). */
function initials(name: string): string {
  const words = name
    .trim()
    .split(/\s+/)
    .filter((w) => /^[\p{L}\p{N}]/u.test(w));
  const letters = words.slice(0, 2).map((w) => [...w][0] ?? "");
  return letters.join("").toUpperCase() || "?";
}

export function isImageUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

const SIZES = { sm: "size-8 text-xs", md: "size-10 text-sm", lg: "size-16 text-xl" } as const;

export function Avatar({
  name,
  url,
  seed,
  size = "md",
}: {
  name: string;
  url?: string;
  seed: string;
  size?: keyof typeof SIZES;
}) {
  const box = `${SIZES[size]} shrink-0 rounded-full`;
  if (url && isImageUrl(url)) {
    return (
      // biome-ignore lint/performance/noImgElement: avatars are arbitrary user URLs, shown as they are
      <img
        src={url}
        alt=""
        className={`${box} bg-canvas object-cover`}
        referrerPolicy="no-referrer"
      />
    );
  }
  return (
    <span
      aria-hidden="true"
      className={`${box} inline-flex items-center justify-center font-semibold ${tintFor(seed)}`}
    >
      {initials(name)}
    </span>
  );
}

/** A green dot for online users, grey otherwise; hidden when presence is unknown. */
export function PresenceDot({ online }: { online: boolean | undefined }) {
  if (online === undefined) return null;
  return (
    <span
      data-testid="presence-dot"
      data-online={online}
      className={`absolute right-0 bottom-0 size-3 rounded-full border-2 border-white ${online ? "bg-emerald-500" : "bg-slate-300"}`}
    >
      <span className="sr-only">{online ? "online" : "offline"}</span>
    </span>
  );
}
