import type { PrismaClient, UploadState } from "../gen/prisma/client.ts";

export const uploadSelect = {
  id: true,
  ownerId: true,
  name: true,
  size: true,
  sha256: true,
  mediaType: true,
  offset: true,
  state: true,
  expiresAt: true,
  file: { select: { id: true } },
} as const;

export interface UploadRow {
  id: string;
  ownerId: string;
  name: string;
  size: bigint;
  sha256: string;
  mediaType: string;
  offset: bigint;
  state: UploadState;
  expiresAt: Date;
  file: { id: string } | null;
}

export interface NewUpload {
  id: string;
  ownerId: string;
  name: string;
  size: bigint;
  sha256: string;
  mediaType: string;
  expiresAt: Date;
}

/** Another request holds the upload's row lock: a chunk of it is being written right now. */
export class UploadBusyError extends Error {
  constructor(readonly uploadId: string) {
    super(`upload ${uploadId} is being written`);
    this.name = "UploadBusyError";
  }
}

/**
 * Creates an upload unless the owner already has `limit` unfinished ones; returns undefined
 * then. The owner's row is locked so two concurrent creates cannot both pass the count.
 */
export function createUploadWithinQuota(
  db: PrismaClient,
  upload: NewUpload,
  limit: number,
): Promise<UploadRow | undefined> {
  return db.$transaction(async (tx) => {
    await tx.$queryRawUnsafe("SELECT id FROM users WHERE id = ? FOR UPDATE", upload.ownerId);
    const unfinished = await tx.upload.count({
      where: { ownerId: upload.ownerId, state: "uploading", expiresAt: { gt: new Date() } },
    });
    if (unfinished >= limit) return undefined;
    return tx.upload.create({ data: { ...upload, state: "uploading" }, select: uploadSelect });
  });
}

/** Creates an upload that is complete at once, and its file: the zero-byte case. */
export function createCompleteUpload(
  db: PrismaClient,
  upload: NewUpload,
  file: { id: string; storageKey: string },
): Promise<UploadRow> {
  return db.$transaction(async (tx) => {
    await tx.upload.create({ data: { ...upload, state: "complete" } });
    await tx.file.create({ data: fileOf(upload, file) });
    return tx.upload.findUniqueOrThrow({ where: { id: upload.id }, select: uploadSelect });
  });
}

function fileOf(upload: NewUpload, file: { id: string; storageKey: string }) {
  return {
    id: file.id,
    uploadId: upload.id,
    ownerId: upload.ownerId,
    name: upload.name,
    size: upload.size,
    sha256: upload.sha256,
    mediaType: upload.mediaType,
    storageKey: file.storageKey,
  };
}

export function findUpload(db: PrismaClient, id: string): Promise<UploadRow | null> {
  return db.upload.findUnique({ where: { id }, select: uploadSelect });
}

/** The owner's uploads that can still receive chunks, oldest first. */
export function findUnfinishedUploads(db: PrismaClient, ownerId: string, now: Date) {
  return db.upload.findMany({
    where: { ownerId, state: "uploading", expiresAt: { gt: now } },
    orderBy: { createdAt: "asc" },
    take: 100,
    select: uploadSelect,
  });
}

/** Transaction handle passed to {@link withLockedUpload}'s callback. */
export type UploadTx = Pick<PrismaClient, "upload" | "file" | "$executeRawUnsafe">;

/**
 * Runs `work` while holding the upload's row lock, inside one transaction. With `nowait` a
 * lock held elsewhere fails at once with UploadBusyError instead of queueing behind it.
 * `work` receives undefined when the upload does not exist.
 */
export async function withLockedUpload<T>(
  db: PrismaClient,
  id: string,
  options: { nowait: boolean; timeoutMs: number },
  work: (tx: UploadTx, row: UploadRow | undefined) => Promise<T>,
): Promise<T> {
  try {
    return await db.$transaction(
      async (tx) => {
        // One round trip for lock and row: every chunk of every upload passes here.
        const rows = await tx.$queryRawUnsafe<LockedRow[]>(
          `SELECT u.id, u.owner_id, u.name, u.size, u.sha256, u.media_type, u.\`offset\`,
                  u.state, u.expires_at, f.id AS file_id
             FROM uploads u LEFT JOIN files f ON f.upload_id = u.id
            WHERE u.id = ? FOR UPDATE${options.nowait ? " NOWAIT" : ""}`,
          id,
        );
        return work(tx, rows[0] && fromLockedRow(rows[0]));
      },
      { timeout: options.timeoutMs, maxWait: 10_000 },
    );
  } catch (error) {
    if (isLockBusy(error)) throw new UploadBusyError(id);
    throw error;
  }
}

interface LockedRow {
  id: string;
  owner_id: string;
  name: string;
  size: bigint | number;
  sha256: string;
  media_type: string;
  offset: bigint | number;
  state: UploadState;
  expires_at: Date;
  file_id: string | null;
}

function fromLockedRow(row: LockedRow): UploadRow {
  return {
    id: row.id,
    ownerId: row.owner_id,
    name: row.name,
    size: BigInt(row.size),
    sha256: row.sha256,
    mediaType: row.media_type,
    offset: BigInt(row.offset),
    state: row.state,
    expiresAt: new Date(row.expires_at),
    file: row.file_id ? { id: row.file_id } : null,
  };
}

// MariaDB reports a NOWAIT refusal and a lock wait timeout alike: error 1205.
function isLockBusy(error: unknown): boolean {
  return /Code: `1205`|Lock wait timeout exceeded/.test(String((error as Error)?.message ?? ""));
}

/** Moves the offset forward; false when it was not at `from` (the caller holds the lock). */
export async function advanceUploadOffset(
  tx: UploadTx,
  id: string,
  move: { from: bigint; to: bigint; expiresAt: Date },
): Promise<boolean> {
  const count = await tx.$executeRawUnsafe(
    `UPDATE uploads SET \`offset\` = ?, expires_at = ?, updated_at = ?
      WHERE id = ? AND \`offset\` = ? AND state = 'uploading'`,
    move.to,
    move.expiresAt,
    new Date(),
    id,
    move.from,
  );
  return count === 1;
}

/** Marks a fully received, verified upload complete and creates its file. */
export async function completeUpload(
  tx: UploadTx,
  upload: UploadRow,
  file: { id: string; storageKey: string },
): Promise<void> {
  await tx.upload.update({
    where: { id: upload.id },
    data: { state: "complete", offset: upload.size },
  });
  await tx.file.create({ data: fileOf(upload, file) });
}

export async function failUpload(tx: UploadTx, id: string): Promise<void> {
  await tx.upload.update({ where: { id }, data: { state: "failed" } });
}

export async function deleteUpload(tx: UploadTx, id: string): Promise<void> {
  await tx.upload.delete({ where: { id } });
}

/** Ids of uploads still receiving chunks whose time ran out, oldest deadline first. */
export async function findExpiredUploadIds(db: PrismaClient, now: Date, limit: number) {
  const rows = await db.upload.findMany({
    where: { state: "uploading", expiresAt: { lt: now } },
    orderBy: { expiresAt: "asc" },
    take: limit,
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

/** Marks an upload expired if it still is due; false when a chunk or cancel got there first. */
export async function expireUpload(tx: UploadTx, id: string, now: Date): Promise<boolean> {
  const result = await tx.upload.updateMany({
    where: { id, state: "uploading", expiresAt: { lt: now } },
    data: { state: "expired" },
  });
  return result.count === 1;
}

export function findFile(db: PrismaClient, id: string) {
  return db.file.findUnique({
    where: { id },
    select: {
      id: true,
      ownerId: true,
      name: true,
      size: true,
      sha256: true,
      mediaType: true,
      storageKey: true,
    },
  });
}

/**
 * Whether the user may read a file someone sent: a message carrying it, not recalled or
 * deleted, in a conversation where the user can see that message (joinedSeq < seq, and
 * seq <= leftSeq once they left).
 */
export async function isFileSharedWith(db: PrismaClient, fileId: string, userId: string) {
  const rows = await db.$queryRawUnsafe<Array<{ found: number }>>(
    `SELECT 1 AS found FROM messages m
       JOIN conversation_members cm
         ON cm.conversation_id = m.conversation_id AND cm.user_id = ?
      WHERE m.file_id = ? AND m.recalled_at IS NULL AND m.deleted_at IS NULL
        AND m.seq > cm.joined_seq AND (cm.left_seq IS NULL OR m.seq <= cm.left_seq)
      LIMIT 1`,
    userId,
    fileId,
  );
  return rows.length > 0;
}

export interface FileRefRow {
  id: string;
  name: string;
  size: bigint;
  mediaType: string;
  sha256: string;
}
