//! `mandate message add|list`: the correspondence kept with a matter.
//!
//! The matter is named by its number or its id. Each command calls one store
//! function and prints text, or the JSON documented in docs/cli.md with `--json`.

use std::io::Read;
use std::path::PathBuf;

use clap::{ArgGroup, Subcommand};
use mandate_core::{Error, MessageDraft};
use mandate_store::Store;

use crate::{find_matter, print_json};

#[derive(Subcommand)]
pub enum MessageCommand {
    /// Add a message to a matter.
    #[command(group(ArgGroup::new("text").required(true).args(["body", "body_file"])))]
    Add {
        /// The matter's number or id.
        #[arg(long)]
        matter: String,
        /// Who wrote or sent it.
        #[arg(long)]
        author: String,
        /// The text of the message.
        #[arg(long)]
        body: Option<String>,
        /// Read the text from this file (`-` reads standard input).
        #[arg(long, value_name = "FILE")]
        body_file: Option<PathBuf>,
        /// When it was sent (RFC 3339, e.g. 2026-03-02T09:05:00-05:00); now if absent.
        #[arg(long)]
        sent_at: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Send a message to the other side of a shared work order or an engagement
    /// (it goes out with the next `mandate sync`).
    Send {
        /// The work order's id (firm) or the engagement's id (provider).
        #[arg(long)]
        assignment: String,
        text: String,
        /// Send the sensitive numbers the scan finds in TEXT as they are, on purpose,
        /// as the person at this desk (the audit log records which kinds were kept, never the numbers).
        #[arg(long)]
        keep_sensitive: bool,
        #[arg(long)]
        json: bool,
    },
    /// List a matter's messages, newest first, one page at a time.
    List {
        /// The matter's number or id.
        #[arg(long)]
        matter: String,
        /// Messages per page (at most 200).
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Only messages older than this message (its id): the next page.
        #[arg(long, value_name = "ID")]
        before: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

fn read_body(path: &std::path::Path) -> anyhow::Result<String> {
    let mut text = String::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text)
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_string(&mut text))
    };
    read.map_err(|e| anyhow::anyhow!("could not read the message from {}: {e}", path.display()))?;
    Ok(text)
}

pub fn run(store: &mut Store, cmd: MessageCommand) -> anyhow::Result<()> {
    match cmd {
        MessageCommand::Send {
            assignment,
            text,
            keep_sensitive,
            json,
        } => crate::exchange::run_message_send(store, &assignment, &text, keep_sensitive, json)?,
        MessageCommand::Add {
            matter,
            author,
            body,
            body_file,
            sent_at,
            json,
        } => {
            let body = match (body, body_file) {
                (Some(b), _) => b,
                (None, Some(f)) => read_body(&f)?,
                // clap requires one of the two.
                (None, None) => String::new(),
            };
            let m = find_matter(store, &matter)?;
            let msg = store.add_message(&MessageDraft {
                matter_id: m.id,
                author,
                body,
                sent_at,
            })?;
            if json {
                print_json(&msg)?;
            } else {
                println!(
                    "Added message {} to matter {}, sent {}",
                    msg.id, m.number, msg.sent_at
                );
            }
        }
        MessageCommand::List {
            matter,
            limit,
            before,
            json,
        } => {
            let m = find_matter(store, &matter)?;
            let before = match before {
                Some(id) => {
                    let older_than = store.message(&id)?;
                    if older_than.matter_id != m.id {
                        return Err(Error::invalid(
                            "before",
                            format!(
                                "Message {} belongs to another matter; give the id of one of {}'s messages.",
                                id.trim(),
                                m.number
                            ),
                        )
                        .into());
                    }
                    Some(older_than.cursor())
                }
                None => None,
            };
            let page = store.messages(&m.id, before.as_ref(), Some(limit))?;
            if json {
                print_json(&page)?;
                return Ok(());
            }
            if page.items.is_empty() {
                println!(
                    "No messages{}. Add one with: mandate message add --matter {} --author NAME --body TEXT",
                    if before.is_some() {
                        " older than that"
                    } else {
                        ""
                    },
                    m.number
                );
            }
            for msg in &page.items {
                println!("{}  {}  ({})", msg.sent_at, msg.author, msg.id);
                for line in msg.body.lines() {
                    println!("    {line}");
                }
            }
            if let Some(next) = &page.next {
                println!(
                    "Older messages: mandate message list --matter {} --before {}",
                    m.number, next.id
                );
            }
        }
    }
    Ok(())
}
