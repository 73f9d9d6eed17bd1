"use client";

import { useEffect, useState } from "react";

/** A destructive button that asks once more inline instead of opening a dialog. */
export function ConfirmButton({
  label,
  confirmLabel,
  onConfirm,
  disabled,
  testId,
}: {
  label: string;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  testId?: string;
}) {
  const [asking, setAsking] = useState(false);
  useEffect(() => {
    if (!asking) return;
    const timer = setTimeout(() => setAsking(false), 4_000);
    return () => clearTimeout(timer);
  }, [asking]);
  return (
    <button
      type="button"
      data-testid={testId}
      disabled={disabled}
      className={
        asking ? "btn bg-red-600 px-3 py-1.5 text-white hover:bg-red-700" : "btn-danger px-3 py-1.5"
      }
      onClick={() => {
        if (!asking) return setAsking(true);
        setAsking(false);
        onConfirm();
      }}
    >
      {asking ? confirmLabel : label}
    </button>
  );
}
