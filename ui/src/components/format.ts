// How sizes and times read in the window.

/** 1234567 → "1.2 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** An RFC 3339 moment as the local clock shows it: "14:03". */
export function clockTime(iso: string): string {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/** An RFC 3339 moment as a local date and time. */
export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString();
}
