/** Parley's mark: two overlapping speech bubbles. */
export function Logo({ className = "size-8" }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden="true">
      <rect width="32" height="32" rx="9" className="fill-accent-600" />
      <path
        d="M9 10.5A3.5 3.5 0 0 1 12.5 7h7A3.5 3.5 0 0 1 23 10.5v4a3.5 3.5 0 0 1-3.5 3.5H15l-3.6 2.7a.6.6 0 0 1-1-.5V18A3.5 3.5 0 0 1 9 14.5z"
        fill="white"
      />
      <path
        d="M24.5 13.2a3 3 0 0 1 .5 1.8v3.5a3 3 0 0 1-2 2.8v1.8a.5.5 0 0 1-.8.4L19 21.5h-2.5"
        fill="none"
        stroke="white"
        strokeOpacity=".7"
        strokeWidth="1.6"
        strokeLinecap="round"
      />
    </svg>
  );
}
