//! Writes the default bank without insignificant whitespace to `OUT_DIR/bank.min.json`,
//! for `Bank::embedded` to parse: the same data in a fifth less text (the widget carries
//! it in its Wasm).

fn main() {
    println!("cargo::rerun-if-changed=data/bank.json");
    let json = std::fs::read_to_string("data/bank.json").expect("data/bank.json");
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    let dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(format!("{dir}/bank.min.json"), out).expect("write bank.min.json");
}
