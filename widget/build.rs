//! The widget's wasm is split after linking (`cargo xtask dist`, wasm-split), which needs
//! the linker's relocations to tell code apart; only the final link of the cdylib changes.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-cdylib-link-arg=--emit-relocs");
    }
}
