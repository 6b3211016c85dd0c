//! Embeds the built widget in the `fixpath` binary, the way Pagefind carries its web assets:
//! `vendor/widget/` holds the size-optimised build that `cargo xtask dist` writes (and the
//! packaged crate ships), so installing `fixpath` needs no wasm toolchain.
//!
//! Without that folder (a checkout where `cargo xtask dist` never ran) the binary carries
//! no widget: `fixpath build` then writes the kb bundle alone and says so.

use std::path::Path;

/// The files of a built widget, as `cargo xtask dist` names them; `SOURCES` is the
/// fingerprint of the widget and engine sources they were built from.
const FILES: [(&str, &str); 6] = [
    ("loader", "fixpath.js"),
    ("glue", "fixpath_widget.js"),
    ("wasm", "fixpath_widget_bg.wasm"),
    ("css", "fixpath.css"),
    ("link", "fixpath_widget_split.js"),
    ("sources", "SOURCES"),
];

/// Every other `.wasm` in the folder is a piece wasm-split cut off the main module.
const MAIN_WASM: &str = "fixpath_widget_bg.wasm";

fn main() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it");
    let widget = Path::new(&manifest_dir).join("vendor").join("widget");
    // A folder is scanned as a whole; `vendor/` always exists (it holds a README), so a
    // widget appearing in it later is noticed too.
    println!("cargo:rerun-if-changed=vendor");
    println!("cargo:rerun-if-changed=vendor/widget");
    let complete = FILES.iter().all(|(_, file)| widget.join(file).is_file());
    // Resolved when the crate compiles, not here: a target dir shared by two checkouts
    // (CI keeps one under ~/.cache) must not embed the other checkout's files.
    let path =
        |file: &str| format!("concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/vendor/widget/{file}\")");
    let code = if complete {
        let field = |(name, file): &(&str, &str)| match *name {
            "wasm" | "css" => format!("    {name}: include_bytes!({}),\n", path(file)),
            _ => format!("    {name}: include_str!({}),\n", path(file)),
        };
        let mut pieces: Vec<String> = std::fs::read_dir(&widget)
            .expect("reading vendor/widget")
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".wasm") && name != MAIN_WASM)
            .collect();
        pieces.sort();
        let pieces: String = pieces
            .iter()
            .map(|name| format!("        ({name:?}, include_bytes!({})),\n", path(name)))
            .collect();
        let fields: String = FILES.iter().map(field).collect();
        format!(
            "pub const EMBEDDED: Option<WidgetAssets> = Some(WidgetAssets {{\n{fields}    pieces: &[\n{pieces}    ],\n}});\n"
        )
    } else {
        println!(
            "cargo:warning=no built widget in indexer/vendor/widget: this fixpath will write kb bundles only (`cargo xtask dist` builds the widget)"
        );
        "pub const EMBEDDED: Option<WidgetAssets> = None;\n".to_string()
    };
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets it")).join("widget.rs");
    std::fs::write(out, code).expect("writing OUT_DIR/widget.rs");
}
