import { findFile, isFileSharedWith, type PrismaClient } from "@parley/db";

export type StoredFile = NonNullable<Awaited<ReturnType<typeof findFile>>>;

/**
 * The file if the user may read it: they uploaded it, or it was sent in a message they can
 * see. Otherwise undefined, the same as a file that does not exist.
 */
export async function findReadableFile(
  db: PrismaClient,
  fileId: string,
  userId: string,
): Promise<StoredFile | undefined> {
  const file = await findFile(db, fileId);
  if (!file) return undefined;
  if (file.ownerId === userId || (await isFileSharedWith(db, fileId, userId))) return file;
  return undefined;
}
