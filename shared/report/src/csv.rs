//! A [`Table`] as CSV that is safe to open in a spreadsheet.

use crate::Table;
use std::borrow::Cow;

/// Makes a text cell safe to open in a spreadsheet. A spreadsheet reads a cell that
/// starts with `=`, `+`, `-` or `@` (after spaces), a tab or a carriage return as a
/// formula; such a cell gets a leading `'`. The same is done wherever a separator
/// (`,`, `;` or a tab) inside the cell is followed by a formula character, since a
/// spreadsheet set to that separator, or an import that ignores quotes, would start a
/// cell there. [`render`] quotes every cell holding a separator, a quote or a line break.
///
/// ```
/// use aims_report::csv::cell;
/// assert_eq!(cell("=1+1"), "'=1+1");
/// assert_eq!(cell("Bob;=2+5+cmd|' /C calc'!A0"), "Bob;'=2+5+cmd|' /C calc'!A0");
/// assert_eq!(cell("plain, text"), "plain, text");
/// ```
pub fn cell(text: &str) -> Cow<'_, str> {
    const FORMULA: [char; 4] = ['=', '+', '-', '@'];
    const SEPARATORS: [char; 3] = [',', ';', '\t'];
    let risky_at = |rest: &str| rest.trim_start_matches(' ').starts_with(FORMULA);
    let starts_risky = risky_at(text) || text.starts_with(['\t', '\r']);
    let inner = text
        .match_indices(SEPARATORS)
        .any(|(i, sep)| risky_at(&text[i + sep.len()..]));
    if !inner && !starts_risky {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 4);
    if starts_risky {
        out.push('\'');
    }
    let mut rest = text;
    while let Some((i, sep)) = rest.match_indices(SEPARATORS).next() {
        out.push_str(&rest[..i + sep.len()]);
        rest = &rest[i + sep.len()..];
        if risky_at(rest) {
            let spaces = rest.len() - rest.trim_start_matches(' ').len();
            out.push_str(&rest[..spaces]);
            out.push('\'');
            rest = &rest[spaces..];
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Appends one CSV row (RFC 4180, CRLF): each cell made safe by [`cell`], and quoted
/// when it holds a separator (`,`, `;`, tab), a quote or a line break.
pub fn write_row(out: &mut String, cells: &[&str]) {
    for (i, text) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let text = cell(text);
        if text.contains([',', ';', '\t', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&text.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&text);
        }
    }
    out.push_str("\r\n");
}

/// The table as CSV: a header row of the column names, then the rows.
pub fn render(table: &Table) -> String {
    let mut out = String::new();
    let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    write_row(&mut out, &names);
    for row in &table.rows {
        let texts: Vec<&str> = row.iter().map(|c| &*c.text).collect();
        write_row(&mut out, &texts);
    }
    out
}
