//! Checks Markdown files (or standard input) with the oracle and prints what it finds; for
//! triaging a fuzz crash: `cargo run -p quire-oracle --example check -- crash-file`.
//! With `--html`, the input is taken as rendered HTML instead of Markdown; with `--show`, the
//! rendered HTML is printed too.

use std::io::Read;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let html = args.iter().position(|a| a == "--html").map(|i| args.remove(i)).is_some();
    let show = args.iter().position(|a| a == "--show").map(|i| args.remove(i)).is_some();
    let inputs: Vec<(String, Vec<u8>)> = if args.is_empty() {
        let mut bytes = Vec::new();
        if let Err(error) = std::io::stdin().read_to_end(&mut bytes) {
            eprintln!("standard input: {error}");
            std::process::exit(2);
        }
        vec![("standard input".to_string(), bytes)]
    } else {
        args.iter()
            .map(|path| match std::fs::read(path) {
                Ok(bytes) => (path.clone(), bytes),
                Err(error) => {
                    eprintln!("{path}: {error}");
                    std::process::exit(2);
                }
            })
            .collect()
    };
    let mut failed = false;
    for (name, bytes) in inputs {
        let text = String::from_utf8_lossy(&bytes);
        if show && !html {
            println!("{name}: {}", quire_core::markdown::render(&text).html);
        }
        let result = if html { quire_oracle::check_html(&text) } else { quire_oracle::check_markdown(&text) };
        match result {
            Ok(()) => println!("{name}: ok"),
            Err(report) => {
                failed = true;
                println!("{name}: {report}");
            }
        }
    }
    std::process::exit(i32::from(failed));
}
