import type { ReactNode } from "react";
import { BrandFrame } from "@/components/brand-frame";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return <BrandFrame>{children}</BrandFrame>;
}
