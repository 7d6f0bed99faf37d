//! Writes the widget's stylesheet without comments and insignificant whitespace to
//! `OUT_DIR/style.min.css` (the Wasm carries it). The stylesheet has no strings or
//! `url()`s holding the characters this touches.

fn main() {
    println!("cargo::rerun-if-changed=src/style.css");
    let css = std::fs::read_to_string("src/style.css").expect("src/style.css");
    // Comments out.
    let mut text = String::with_capacity(css.len());
    let mut rest = css.as_str();
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        let end = rest[start..].find("*/").expect("unterminated comment") + start + 2;
        rest = &rest[end..];
    }
    text.push_str(rest);
    // Runs of whitespace become one space; none next to `{`, `}`, `;`, `,` or `>`, nor
    // after the `:` of a declaration or media feature (no selector has a space there).
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let joins = out.ends_with(['{', '}', ';', ',', '>', ':'])
            || word.starts_with(['{', '}', ';', ',', '>']);
        if !out.is_empty() && !joins {
            out.push(' ');
        }
        out.push_str(word);
    }
    let out = out.replace(";}", "}");
    let dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(format!("{dir}/style.min.css"), out).expect("write style.min.css");
}
