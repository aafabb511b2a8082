// The in-memory backup and export of memory.ts, for component tests. It checks what
// the commands check (file name, passphrase length, folder) and reports a few fake
// progress steps; the real work is in crates/store and is tested there.
import type { ApiError } from "../bindings/ApiError";
import { MIN_PASSPHRASE_CHARS } from "../bindings/constants";
import type { Progress } from "../bindings/Progress";
import type { Backend } from "./backend";

type BackupMethods = Pick<
  Backend,
  "backupDefaultPaths" | "backupChoose" | "backupCreate" | "exportChoose" | "exportRecords"
>;

const invalid = (field: string, message: string): ApiError => ({ code: "invalid", message, field });

/** Lets the screen render between steps, as events from Rust would. */
const tick = () => new Promise<void>((r) => setTimeout(r, 0));

const KINDS = ["matters", "parties", "providers", "consents", "assignments", "deadlines"];

export function backupMemory(): BackupMethods & {
  backups: string[];
  /** Folders that hold an export (or other files), so a second export there is refused. */
  exportDirs: string[];
} {
  const backups: string[] = [];
  const exportDirs: string[] = [];
  return {
    backups,
    exportDirs,
    backupDefaultPaths: async () => ({
      backup: "/home/test/Documents/mandate-2026-11-27.mandate-backup",
      export: "/home/test/Documents/mandate-export-2026-11-27",
    }),
    backupChoose: async () => null,
    backupCreate: async (path, passphrase, onProgress) => {
      if (!/.\.mandate-backup$/i.test(path.trim()))
        throw invalid("path", "Save the backup as a file ending in .mandate-backup.");
      if ([...passphrase].length < MIN_PASSPHRASE_CHARS)
        throw invalid(
          "passphrase",
          `Use a passphrase of at least ${MIN_PASSPHRASE_CHARS} characters; a few unrelated words work well.`,
        );
      const bytes = 3 * 1024 * 1024;
      const steps: Progress[] = [
        { phase: "key", done: 0, total: 1, item: null },
        { phase: "key", done: 1, total: 1, item: null },
        { phase: "copying", done: 0, total: 1, item: null },
        { phase: "copying", done: 1, total: 1, item: null },
        { phase: "checking", done: bytes, total: bytes, item: null },
        { phase: "writing", done: bytes / 3, total: bytes, item: null },
        { phase: "writing", done: bytes, total: bytes, item: null },
      ];
      for (const s of steps) {
        onProgress(s);
        await tick();
      }
      backups.push(path.trim());
      return {
        path: path.trim(),
        bytes: bytes + 512,
        sha256: "9f2c".padEnd(64, "0"),
        created_at: "2026-11-27T10:00:00Z",
      };
    },
    exportChoose: async () => null,
    exportRecords: async (dir, format, onProgress) => {
      const folder = dir.trim().replace(/\/+$/, "");
      if (!folder.startsWith("/"))
        throw invalid("path", "Name the folder in full, or use Choose….");
      if (exportDirs.includes(folder))
        throw invalid("path", "That folder is not empty. Name an empty folder, or a new one.");
      const files = KINDS.map((k, i) => ({ path: `${folder}/${k}.${format}`, records: i }));
      onProgress({ phase: "exporting", done: 0, total: files.length, item: null });
      for (const [i, f] of files.entries()) {
        await tick();
        onProgress({
          phase: "exporting",
          done: i + 1,
          total: files.length,
          item: f.path.slice(folder.length + 1),
        });
      }
      exportDirs.push(folder);
      return files;
    },
  };
}
