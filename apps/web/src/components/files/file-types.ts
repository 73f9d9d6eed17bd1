/** What the web app needs to know about media types. */

// The raster formats the server serves inline: browsers decode them without running anything.
const PREVIEWABLE = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/** Whether a file is an image the chat shows as a preview. */
export function isPreviewable(mediaType: string): boolean {
  return PREVIEWABLE.has((mediaType.split(";")[0] ?? "").trim().toLowerCase());
}
