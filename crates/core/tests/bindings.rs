//! The TypeScript types in ui/src/bindings are generated from these Rust types and
//! committed. This test fails when they are stale; `UPDATE_BINDINGS=1 cargo test
//! -p mandate-core --test bindings` rewrites them.

use std::path::PathBuf;

use mandate_core::{
    AuditRecord, AuditReport, ErrorCode, Matter, MatterDraft, MatterFilter, MatterPage,
    MatterPatch, MatterSort, MatterStatus,
};
use ts_rs::{Config, TS};

fn bindings_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings")
}

fn generated<T: TS + 'static>(cfg: &Config) -> (String, String) {
    let body = T::export_to_string(cfg).expect("binding generates");
    (format!("{}.ts", T::ident(cfg)), body)
}

#[test]
fn typescript_bindings_are_current() {
    let cfg = Config::new().with_large_int("number");
    let files = [
        generated::<mandate_core::Error>(&cfg),
        generated::<ErrorCode>(&cfg),
        generated::<Matter>(&cfg),
        generated::<MatterDraft>(&cfg),
        generated::<MatterPatch>(&cfg),
        generated::<MatterFilter>(&cfg),
        generated::<MatterPage>(&cfg),
        generated::<MatterSort>(&cfg),
        generated::<MatterStatus>(&cfg),
        generated::<AuditRecord>(&cfg),
        generated::<AuditReport>(&cfg),
    ];
    let dir = bindings_dir();
    let update = std::env::var_os("UPDATE_BINDINGS").is_some();
    let mut stale = Vec::new();
    for (name, body) in &files {
        let path = dir.join(name);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, body).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(body.as_str()) {
            stale.push(name.clone());
        }
    }
    assert!(
        stale.is_empty(),
        "stale TypeScript bindings in ui/src/bindings: {stale:?}. \
         Run `UPDATE_BINDINGS=1 cargo test -p mandate-core --test bindings` and commit the result."
    );
}
