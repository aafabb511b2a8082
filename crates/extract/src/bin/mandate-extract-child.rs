//! Mandate's document reader on its own: reads one document given on stdin, with
//! the arguments `mandate_extract::isolated` passes, and exits. The app and the CLI
//! re-run themselves for this instead; this binary is what the crate's own tests
//! start, so that they exercise the real child process.

fn main() {
    mandate_extract::quiet_panics();
    mandate_extract::run_child_if_requested();
    eprintln!(
        "mandate-extract-child reads documents for Mandate; it is started by Mandate, not by hand."
    );
    std::process::exit(64);
}
