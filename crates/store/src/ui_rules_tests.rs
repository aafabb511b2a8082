//! The rules the window's component tests need, generated from Rust into
//! `ui/src/bindings/rules.ts`, so that the in-memory backend the tests run against
//! holds no rule of its own: the assignment's moves, the files an export writes, the
//! deadline rules and the deadlines they compute come from here, once.
//! `UPDATE_BINDINGS=1 cargo test -p mandate-store ui_rules_are_current` rewrites it.

use mandate_core::MatterDraft;
use mandate_core::assignment::{AssignmentStatus, Side, next_states};
use mandate_core::deadline::DeadlineDraft;
use mandate_core::document::DocumentUpload;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::{ExportFormat, MemoryVault, Store};

/// The deadlines the window's tests compute, as (rule, trigger).
const DEADLINE_EXAMPLES: &[(&str, &str)] = &[("answer", "2026-11-20")];

/// Messages the window's tests search, as (query, body).
const SNIPPET_EXAMPLES: &[(&str, &str)] = &[("privil", "See the [draft] <b>privilege</b> log")];

/// A draft's (rule, trigger, due date, title).
type DraftFields = (
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

/// Drafts the window's tests send that Rust refuses: each is generated with the
/// error Rust gives.
const DEADLINE_REFUSALS: &[DraftFields] = &[
    // A rule without its trigger.
    (Some("answer"), None, None, None),
    // A date entered by hand without a title.
    (None, None, Some("2026-11-30"), None),
];

/// The window's commands whose refusals its tests replay: the command's name in the
/// window's `Backend`, an input Rust accepts, and changes to it that Rust refuses.
/// The in-memory backend throws Rust's error for a call holding every field of one
/// of these changes, and checks nothing else: every other input is accepted.
fn refusal_cases(ids: &Ids) -> Vec<(&'static str, Value, Vec<Value>)> {
    vec![
        (
            "matterCreate",
            json!({ "number": "UI-2", "title": "Second", "client_name": "Client" }),
            vec![
                json!({ "number": "" }),
                json!({ "title": "" }),
                json!({ "client_name": "" }),
                json!({ "allowed_countries": ["us", "Germany"] }),
                // The store holds UI-1: numbers are unique whatever their case.
                json!({ "number": "ui-1" }),
            ],
        ),
        (
            "matterUpdate",
            json!({}),
            vec![json!({ "title": "" }), json!({ "number": "ui-1" })],
        ),
        (
            "providerCreate",
            json!({ "legal_name": "Provider" }),
            // The window sends country codes in capitals, as typed otherwise.
            vec![
                json!({ "legal_name": "" }),
                json!({ "countries": ["INDIA"] }),
            ],
        ),
        (
            "providerUpdate",
            json!({}),
            vec![
                json!({ "legal_name": "" }),
                json!({ "countries": ["INDIA"] }),
            ],
        ),
        (
            "partyCreate",
            json!({ "name": "Acme", "kind": "organisation" }),
            vec![
                json!({ "name": "" }),
                json!({ "name": "Acme", "aliases": ["acme"] }),
            ],
        ),
        (
            "consentCreate",
            json!({
                "matter_id": ids.matter, "provider_id": ids.provider, "scope": "Review",
                "given_on": "2026-11-20", "evidence": "Email of 20 Nov",
            }),
            vec![
                json!({ "scope": "" }),
                json!({ "given_on": "" }),
                json!({ "given_on": "2026-12-25" }),
                json!({ "evidence": "" }),
            ],
        ),
        (
            "assignmentCreate",
            json!({
                "matter_id": ids.matter, "provider_id": ids.provider, "scope": "Review",
                "due_on": "2026-12-15", "supervising_attorney": "Dana Whitfield",
            }),
            vec![
                json!({ "scope": "" }),
                json!({ "due_on": "" }),
                json!({ "supervising_attorney": "" }),
                json!({ "budget": "12.345", "budget_currency": "USD" }),
            ],
        ),
        (
            "messageCreate",
            json!({ "matter_id": ids.matter, "author": "Ann", "body": "Hello" }),
            vec![json!({ "author": "" }), json!({ "body": "" })],
        ),
        (
            "documentReview",
            json!({ "version_id": ids.version, "outcome": "approved" }),
            // The window leaves out notes left empty: null matches their absence.
            vec![json!({ "outcome": "changes_requested", "notes": null })],
        ),
        (
            // The file's bytes are not part of the input matched: the window's test
            // names its empty file as here, and `run` gives this name no bytes.
            "documentAdd",
            json!({ "matter_id": ids.matter, "file_name": "notes.txt" }),
            vec![json!({ "file_name": EMPTY_FILE })],
        ),
    ]
}

/// Inputs Rust accepts once and refuses when given again (the same link twice): the
/// command, an input, and the fields of it the in-memory backend matches on. It
/// refuses a call only when the same whole input was accepted before.
fn repeat_cases(ids: &Ids) -> Vec<(&'static str, Value, Value)> {
    vec![(
        "matterPartyCreate",
        json!({ "matter_id": ids.matter, "party_id": ids.party, "role": "adverse" }),
        json!({ "role": "adverse" }),
    )]
}

/// The records the refused inputs refer to.
struct Ids {
    matter: String,
    party: String,
    second_matter: String,
    provider: String,
    version: String,
}

/// The name of the empty file the window's tests add.
const EMPTY_FILE: &str = "blank.txt";

/// The day the window's tests take as today (memory.ts's default).
const TESTS_TODAY: &str = "2026-11-27";

fn input<T: DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).unwrap()
}

/// Runs the command as the window's Rust command does.
fn run(store: &mut Store, ids: &Ids, command: &str, v: Value) -> mandate_core::Result<()> {
    match command {
        "matterCreate" => store.open_matter(&input(v)).map(drop),
        "matterUpdate" => store.update_matter(&ids.second_matter, &input(v)).map(drop),
        "providerCreate" => store.create_provider(&input(v)).map(drop),
        "providerUpdate" => store.update_provider(&ids.provider, &input(v)).map(drop),
        "partyCreate" => store.create_party(&input(v)).map(drop),
        "matterPartyCreate" => store.link_party(&input(v)).map(drop),
        "consentCreate" => store
            .create_consent(&input(v), TESTS_TODAY.parse().unwrap())
            .map(drop),
        "assignmentCreate" => store.create_assignment(&input(v)).map(drop),
        "messageCreate" => store.add_message(&input(v)).map(drop),
        "documentReview" => store.add_review(&input(v)).map(drop),
        "documentAdd" => {
            let upload: DocumentUpload = input(v);
            let bytes: &[u8] = if upload.file_name == EMPTY_FILE {
                b""
            } else {
                b"Some notes"
            };
            store.add_document(&upload, bytes).map(drop)
        }
        other => panic!("no command {other} here"),
    }
}

fn refusals(store: &mut Store, ids: &Ids) -> Vec<Value> {
    let mut out = Vec::new();
    for (command, base, changes) in refusal_cases(ids) {
        // The valid input is accepted, so each refusal below is the change's own.
        run(store, ids, command, base.clone())
            .unwrap_or_else(|e| panic!("{command} refused its valid input: {e}"));
        for change in changes {
            let mut v = base.clone();
            for (k, x) in change.as_object().unwrap() {
                v[k] = x.clone();
            }
            let e = run(store, ids, command, v).expect_err(&format!(
                "{command} accepted {change}: drop it from the cases"
            ));
            out.push(json!({ "command": command, "input": change, "error": e }));
        }
    }
    for (command, whole, fields) in repeat_cases(ids) {
        run(store, ids, command, whole.clone())
            .unwrap_or_else(|e| panic!("{command} refused {whole} the first time: {e}"));
        let e = run(store, ids, command, whole.clone()).expect_err(&format!(
            "{command} accepted {whole} twice: drop it from the cases"
        ));
        out.push(json!({ "command": command, "input": fields, "repeat": true, "error": e }));
    }
    out
}

fn moves(side: Side) -> Value {
    AssignmentStatus::ALL
        .iter()
        .map(|from| {
            (
                from.as_str().to_owned(),
                json!(
                    next_states(*from, side)
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                ),
            )
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap()
}

#[test]
fn ui_rules_are_current() {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(&dir.path().join("store"), &MemoryVault::default()).unwrap();
    let m = store
        .create_matter(&MatterDraft {
            number: "UI-1".into(),
            title: "Rules for the window's tests".into(),
            client_name: "Client".into(),
            ..Default::default()
        })
        .unwrap();
    let second = store
        .create_matter(&MatterDraft {
            number: "UI-3".into(),
            title: "Edited by the tests".into(),
            client_name: "Client".into(),
            ..Default::default()
        })
        .unwrap();
    let provider = store
        .create_provider(&input(json!({ "legal_name": "Lexbridge" })))
        .unwrap();
    let doc = store
        .add_document(
            &DocumentUpload {
                matter_id: m.id.clone(),
                file_name: "memo.txt".into(),
                ..Default::default()
            },
            b"A memo",
        )
        .unwrap();
    let party = store
        .create_party(&input(
            json!({ "name": "Widget GmbH", "kind": "organisation" }),
        ))
        .unwrap();
    let ids = Ids {
        matter: m.id.to_string(),
        party: party.id.to_string(),
        second_matter: second.id.to_string(),
        provider: provider.id.to_string(),
        version: doc.latest.id.to_string(),
    };
    let refused = refusals(&mut store, &ids);
    // How search marks what matched, for the window's test of showing it as text.
    let snippets: Vec<Value> = SNIPPET_EXAMPLES
        .iter()
        .map(|(query, body)| {
            store
                .add_message(&input(
                    json!({ "matter_id": ids.matter, "author": "Ann", "body": body }),
                ))
                .unwrap();
            let hits = store.search(query, 8).unwrap().messages;
            let hit = hits
                .iter()
                .find(|h| h.snippet.iter().any(|p| p.hit))
                .unwrap();
            json!({ "query": query, "body": body, "snippet": hit.snippet })
        })
        .collect();
    let examples: Vec<Value> = DEADLINE_EXAMPLES
        .iter()
        .map(|(rule, trigger)| {
            let made = store
                .create_deadlines(&DeadlineDraft {
                    matter_id: m.id.clone(),
                    rule_id: Some((*rule).into()),
                    trigger: Some((*trigger).into()),
                    ..Default::default()
                })
                .unwrap();
            let d = &made[0];
            json!({
                "rule_id": rule,
                "trigger": trigger,
                "title": d.title,
                "citation": d.citation,
                "trigger_name": d.trigger_name,
                "due_date": d.due_date,
                "due_at": d.due_at,
                "time_zone": d.time_zone,
                "steps": d.steps,
                "verify": d.verify,
                "warnings": d.warnings,
            })
        })
        .collect();
    let refusals: Vec<Value> = DEADLINE_REFUSALS
        .iter()
        .map(|(rule, trigger, due, title)| {
            let e = store
                .create_deadlines(&DeadlineDraft {
                    matter_id: m.id.clone(),
                    rule_id: rule.map(Into::into),
                    trigger: trigger.map(Into::into),
                    due_date: due.map(Into::into),
                    title: title.map(Into::into),
                    ..Default::default()
                })
                .unwrap_err();
            json!({
                "draft": { "rule_id": rule, "trigger": trigger, "due_date": due, "title": title },
                "error": e,
            })
        })
        .collect();
    let out = dir.path().join("export");
    std::fs::create_dir(&out).unwrap();
    let files: Vec<String> = store
        .export_records(&out, ExportFormat::Json)
        .unwrap()
        .iter()
        .map(|f| {
            std::path::Path::new(&f.path)
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    // A second export into the folder now holding the first is refused.
    let filled = store
        .export_records(&out, ExportFormat::Json)
        .expect_err("an export into a folder holding files");

    // What the window's tests rely on these holding (checked here, where they are
    // made): every kind the store exports, and a computation explained step by step.
    assert!(files.iter().any(|f| f == "disclosures"), "{files:?}");
    assert!(
        examples
            .iter()
            .all(|e| e["steps"].as_array().is_some_and(|s| s.len() > 1)),
        "{examples:?}"
    );
    let body = format!(
        "// This file was generated from Rust by the test ui_rules_are_current \
         (crates/store/src/ui_rules_tests.rs). Do not edit this file manually.\n\
         // The in-memory backend of the window's tests takes these rules from here.\n\
         \n\
         import type {{ ApiError }} from \"./ApiError\";\n\
         import type {{ AssignmentStatus }} from \"./AssignmentStatus\";\n\
         import type {{ DeadlineStep }} from \"./DeadlineStep\";\n\
         import type {{ RuleInfo }} from \"./RuleInfo\";\n\
         import type {{ SnippetPart }} from \"./SnippetPart\";\n\
         \n\
         /** `next_states(from, side)` of crates/core/src/assignment.rs, for each side. */\n\
         export const ASSIGNMENT_MOVES: Record<\"firm\" | \"provider\", Record<AssignmentStatus, AssignmentStatus[]>> = {{\n\
         \x20 firm: {},\n\
         \x20 provider: {},\n\
         }};\n\
         \n\
         /** The files `Store::export_records` writes, in order (without their extension). */\n\
         export const EXPORT_FILES: string[] = {};\n\
         \n\
         /** What `Store::export_records` answers for a folder that already holds files. */\n\
         export const EXPORT_INTO_FILLED_FOLDER: ApiError = {};\n\
         \n\
         /** The deadline rules Rust knows (`Store::deadline_rules`). */\n\
         export const DEADLINE_RULES: RuleInfo[] = {};\n\
         \n\
         /** Deadlines Rust computed from a rule and a trigger, with their explanation. */\n\
         export const DEADLINE_EXAMPLES: {{\n\
         \x20 rule_id: string;\n\
         \x20 trigger: string;\n\
         \x20 title: string;\n\
         \x20 citation: string | null;\n\
         \x20 trigger_name: string | null;\n\
         \x20 due_date: string;\n\
         \x20 due_at: string | null;\n\
         \x20 time_zone: string;\n\
         \x20 steps: DeadlineStep[];\n\
         \x20 verify: string[];\n\
         \x20 warnings: string[];\n\
         }}[] = {};\n\
         \n\
         /** Drafts Rust refuses, with the error it gives. */\n\
         export const DEADLINE_REFUSALS: {{\n\
         \x20 draft: {{ rule_id: string | null; trigger: string | null; due_date: string | null; title: string | null }};\n\
         \x20 error: ApiError;\n\
         }}[] = {};\n\
         \n\
         /**\n\
         \x20* Inputs Rust refuses, with the error it gives: `command` is the `Backend` method,\n\
         \x20* and `input` the fields of its first object argument that Rust refused; with\n\
         \x20* `repeat`, Rust refused them only when the same input had been accepted before.\n\
         \x20*/\n\
         export const REFUSALS: {{\n\
         \x20 command: string;\n\
         \x20 input: Record<string, unknown>;\n\
         \x20 repeat?: boolean;\n\
         \x20 error: ApiError;\n\
         }}[] = {};\n\
         \n\
         /** A message's body, and the snippet Rust's search makes of it for `query`. */\n\
         export const SNIPPET_EXAMPLES: {{ query: string; body: string; snippet: SnippetPart[] }}[] = {};\n",
        pretty(&moves(Side::Firm)),
        pretty(&moves(Side::Provider)),
        pretty(&json!(files)),
        pretty(&json!(filled)),
        pretty(&serde_json::to_value(store.deadline_rules()).unwrap()),
        pretty(&json!(examples)),
        pretty(&json!(refusals)),
        pretty(&json!(refused)),
        pretty(&json!(snippets)),
    );
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings/rules.ts");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &body).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&path).ok().as_deref(),
        Some(body.as_str()),
        "ui/src/bindings/rules.ts is stale. Run `UPDATE_BINDINGS=1 cargo test -p mandate-store \
         ui_rules_are_current` and commit the result."
    );
}
