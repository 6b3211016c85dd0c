//! Embeds the built widget in the `fixpath` binary, the way Pagefind carries its web assets:
//! `vendor/widget/` holds the size-optimised build that `cargo xtask dist` writes (and the
//! packaged crate ships), so installing `fixpath` needs no wasm toolchain.
//!
//! Without that folder (a checkout where `cargo xtask dist` never ran) the binary carries
//! no widget: `fixpath build` then writes the kb bundle alone and says so.

use std::path::Path;

/// The files of a built widget, as `cargo xtask dist` names them; `SOURCES` is the
/// fingerprint of the widget and engine sources they were built from.
const FILES: [(&str, &str); 5] = [
    ("loader", "fixpath.js"),
    ("glue", "fixpath_widget.js"),
    ("wasm", "fixpath_widget_bg.wasm"),
    ("css", "fixpath.css"),
    ("sources", "SOURCES"),
];

fn main() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it");
    let widget = Path::new(&manifest_dir).join("vendor").join("widget");
    // A folder is scanned as a whole; `vendor/` always exists (it holds a README), so a
    // widget appearing in it later is noticed too.
    println!("cargo:rerun-if-changed=vendor");
    let complete = FILES.iter().all(|(_, file)| widget.join(file).is_file());
    let code = if complete {
        // Resolved when the crate compiles, not here: a target dir shared by two checkouts
        // (CI keeps one under ~/.cache) must not embed the other checkout's files.
        let field = |(name, file): &(&str, &str)| {
            let path = format!("concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/vendor/widget/{file}\")");
            match *name {
                "loader" | "sources" => format!("    {name}: include_str!({path}),\n"),
                _ => format!("    {name}: include_bytes!({path}),\n"),
            }
        };
        let fields: String = FILES.iter().map(field).collect();
        format!("pub const EMBEDDED: Option<WidgetAssets> = Some(WidgetAssets {{\n{fields}}});\n")
    } else {
        println!(
            "cargo:warning=no built widget in indexer/vendor/widget: this fixpath will write kb bundles only (`cargo xtask dist` builds the widget)"
        );
        "pub const EMBEDDED: Option<WidgetAssets> = None;\n".to_string()
    };
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets it")).join("widget.rs");
    std::fs::write(out, code).expect("writing OUT_DIR/widget.rs");
}
