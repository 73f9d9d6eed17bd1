import type { Metadata } from "next";
import { AdminBroadcast } from "@/components/admin/broadcast";

export const metadata: Metadata = { title: "Broadcast · Admin" };

export default function AdminBroadcastPage() {
  return <AdminBroadcast />;
}
