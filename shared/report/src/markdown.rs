//! A [`Document`] as Markdown (GitHub-flavoured tables), every text escaped.

use crate::{Block, Document, Fact, Table};
use std::borrow::Cow;
use std::fmt::Write as _;

/// Escapes text for use inline in Markdown (a paragraph, a list item or a table cell):
/// the characters that start emphasis, code, links, HTML or table cells get a backslash,
/// and line breaks become spaces so the text cannot start a new block.
pub fn escape(text: &str) -> Cow<'_, str> {
    const SPECIAL: [char; 13] = [
        '|', '\\', '*', '_', '`', '<', '>', '[', ']', '#', '~', '\n', '\r',
    ];
    if !text.contains(SPECIAL) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(' ');
            }
            '\n' => out.push(' '),
            '|' | '\\' | '*' | '_' | '`' | '<' | '>' | '[' | ']' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Writes formatted text to a `String`, which cannot fail.
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {
        let _ = write!($out, $($arg)*);
    };
}

/// The document in Markdown.
pub fn render(doc: &Document) -> String {
    let m = escape;
    let mut out = String::with_capacity(48 * 1024);
    put!(out, "# {}\n\n**{}**\n\n", m(doc.title), m(doc.organisation));
    for f in &doc.facts {
        put!(out, "- {}: {}\n", m(f.label), m(&f.value));
    }
    out.push('\n');
    for s in &doc.sections {
        put!(out, "## {}\n\n", m(s.heading));
        blocks(&mut out, &s.blocks);
        for p in &s.parts {
            put!(out, "### {}\n\n", m(&p.heading));
            blocks(&mut out, &p.blocks);
        }
    }
    put!(out, "---\n\n*{}*\n", m(doc.disclaimer));
    out
}

fn blocks(out: &mut String, blocks: &[Block]) {
    let m = escape;
    for b in blocks {
        match b {
            Block::Score { overall, band } => {
                put!(
                    out,
                    "**Overall score: {overall} / 100 — {}**\n\n",
                    band.label()
                );
            }
            Block::Counts(counts) => {
                for (i, Fact { label, value }) in counts.iter().enumerate() {
                    let separator = if i == 0 { "" } else { " · " };
                    put!(out, "{separator}{}: {}", m(label), m(value));
                }
                out.push_str("\n\n");
            }
            Block::Text(text) => {
                put!(out, "{}\n\n", m(text));
            }
            Block::Caption(text) => {
                put!(out, "{}\n\n", m(text));
            }
            Block::Facts(facts) => {
                for f in facts {
                    put!(out, "- {}: **{}**\n", m(f.label), m(&f.value));
                }
                out.push('\n');
            }
            Block::Bullets { title, items } => {
                put!(out, "**{}**\n\n", m(title));
                for item in items {
                    put!(out, "- {}\n", m(item));
                }
                out.push('\n');
            }
            Block::Steps(steps) => {
                for (i, (figure, text)) in steps.iter().enumerate() {
                    put!(out, "{}. {}: {}\n", i + 1, m(figure), m(text));
                }
                out.push('\n');
            }
            Block::Note { source, text } => {
                put!(out, "> **{}:** {}\n\n", m(source), m(text));
            }
            Block::Table(table) => render_table(out, table),
        }
    }
}

fn render_table(out: &mut String, table: &Table) {
    let m = escape;
    for c in &table.columns {
        put!(out, "| {} ", m(c.name));
    }
    out.push_str("|\n");
    for c in &table.columns {
        out.push_str(if c.numeric { "|---:" } else { "|---" });
    }
    out.push_str("|\n");
    for row in &table.rows {
        for cell in row {
            put!(out, "| {} ", m(&cell.text));
        }
        out.push_str("|\n");
    }
    out.push('\n');
}
