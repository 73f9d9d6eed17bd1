import type { Metadata } from "next";
import { AdminModeration } from "@/components/admin/moderation";

export const metadata: Metadata = { title: "Moderation · Admin" };

export default function AdminModerationPage() {
  return <AdminModeration />;
}
