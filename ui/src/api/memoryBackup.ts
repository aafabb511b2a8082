// The in-memory backup and export of memory.ts, for component tests. It reports a few
// fake progress steps and holds no rule of its own: the refusal of a folder that
// holds files is Rust's (EXPORT_INTO_FILLED_FOLDER); the file name and passphrase
// rules are Rust's, tested in crates/store; the real work is there too.
import type { ChosenTarget } from "../bindings/ChosenTarget";
import type { Progress } from "../bindings/Progress";
import { EXPORT_FILES, EXPORT_INTO_FILLED_FOLDER } from "../bindings/rules";
import type { Backend } from "./backend";

type BackupMethods = Pick<
  Backend,
  "backupChoose" | "backupCreate" | "exportChoose" | "exportRecords"
>;

/** Lets the screen render between steps, as events from Rust would. */
const tick = () => new Promise<void>((r) => setTimeout(r, 0));

export type DialogKind = "backup" | "export" | "calendar";

/**
 * The native dialogs and their one-time tokens (src-tauri/src/chosen.rs, whose rules
 * are tested there): a test sets what the next dialog answers (`picks`, null for
 * "cancelled"). A write given anything but a token this double handed out fails the
 * test: the window must pass the token, never a path.
 */
export function dialogMemory() {
  const picks: Record<DialogKind, string | null> = {
    backup: "/home/test/Documents/mandate-2026-11-27-1000.mandate-backup",
    export: "/home/test/Documents/mandate-export-2026-11-27",
    calendar: "/home/test/Documents/mandate-deadlines.ics",
  };
  const tokens = new Map<string, { kind: DialogKind; path: string }>();
  let n = 0;
  return {
    picks,
    choose(kind: DialogKind): ChosenTarget | null {
      const picked = picks[kind];
      if (picked === null) return null;
      const path = picked;
      for (const [t, c] of tokens) if (c.kind === kind) tokens.delete(t);
      n += 1;
      const token = `token-${kind}-${n}`;
      tokens.set(token, { kind, path });
      return { token, path };
    },
    take(token: string, kind: DialogKind): string {
      const chosen = tokens.get(token);
      tokens.delete(token);
      if (!chosen || chosen.kind !== kind)
        throw new Error(`The window passed ${token} where a ${kind} token from Choose… goes.`);
      return chosen.path;
    },
  };
}

export type DialogMemory = ReturnType<typeof dialogMemory>;

export function backupMemory(dialog: DialogMemory): BackupMethods & {
  backups: string[];
  /** Folders that hold an export (or other files), so a second export there is refused. */
  exportDirs: string[];
} {
  const backups: string[] = [];
  const exportDirs: string[] = [];
  return {
    backups,
    exportDirs,
    backupChoose: async () => dialog.choose("backup"),
    backupCreate: async (target, passphrase, onProgress) => {
      void passphrase;
      const path = dialog.take(target, "backup");
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
      backups.push(path);
      return {
        path,
        bytes: bytes + 512,
        sha256: "9f2c".padEnd(64, "0"),
        created_at: "2026-11-27T10:00:00Z",
      };
    },
    exportChoose: async () => dialog.choose("export"),
    exportRecords: async (target, format, onProgress) => {
      const folder = dialog.take(target, "export");
      if (exportDirs.includes(folder)) throw EXPORT_INTO_FILLED_FOLDER;
      // The files Rust writes, in its order (generated: bindings/rules.ts).
      const files = EXPORT_FILES.map((k, i) => ({ path: `${folder}/${k}.${format}`, records: i }));
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
